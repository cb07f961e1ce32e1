/*
 * Copyright 2026 The dpg-observability maintainers
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.dpg.observability.spring;

import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with its own DataSource beans (a primary, a replica, and a third one opted out by property):
 * each observed one has its own pool tag without configuration and its own health check; none of its meters is
 * dropped.
 */
class TwoDataSourcesApplicationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        private static HikariDataSource pool() {
            HikariDataSource ds = new HikariDataSource();
            ds.setJdbcUrl(TestDatabase.get().jdbcUrl());
            ds.setUsername(TestDatabase.get().user());
            ds.setMaximumPoolSize(3);
            return ds;
        }

        @Bean
        @Primary
        DataSource primary() {
            return pool();
        }

        @Bean
        DataSource replica() {
            return pool();
        }

        @Bean
        DataSource reporting() {
            return pool();
        }
    }

    private static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.start(App.class, Map.of("dpg.observability.jdbc.excluded-beans", "reporting"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void eachObservedDataSourceIsTaggedWithItsBeanName() {
        assertThat(app.bean("primary", DataSource.class)).isInstanceOfSatisfying(ObservedDataSource.class,
                ds -> assertThat(ds.poolName()).isEqualTo("primary"));
        assertThat(app.bean("replica", DataSource.class)).isInstanceOfSatisfying(ObservedDataSource.class,
                ds -> assertThat(ds.poolName()).isEqualTo("replica"));
    }

    @Test
    void aBeanNamedInExcludedBeansIsLeftAlone() {
        assertThat(app.bean("reporting", DataSource.class)).isExactlyInstanceOf(HikariDataSource.class);
    }

    @Test
    void bothPoolsKeepTheirConnectionGaugesInTheScrape() throws Exception {
        try (Connection a = app.bean("primary", DataSource.class).getConnection();
             Connection b = app.bean("replica", DataSource.class).getConnection();
             Connection c = app.bean("replica", DataSource.class).getConnection();
             Statement s = b.createStatement()) {
            s.execute("SELECT 1");
            String scrape = app.get("/actuator/prometheus").body();
            assertThat(scrape)
                    .containsPattern("dpg_connections_in_use\\{[^}]*pool=\"primary\"[^}]*\\} 1")
                    .containsPattern("dpg_connections_in_use\\{[^}]*pool=\"replica\"[^}]*\\} 2")
                    .doesNotContain("pool=\"reporting\"");
        }
    }

    @Test
    void eachObservedDataSourceHasItsOwnDatabaseCheck() {
        HealthRegistry health = app.context.getBean(HealthRegistry.class);
        assertThat(health.checkNames(HealthGroup.READINESS)).contains("database-primary", "database-replica")
                .doesNotContain("database", "database-reporting");
        assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }
}
