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

import io.dpg.observability.health.HealthCheckOptions;
import io.dpg.observability.health.HealthChecks;
import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import io.dpg.observability.jdbc.ObservedDataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * Registers our checks once every singleton exists: {@code jvm} and {@code deadlocks} (liveness: nothing external),
 * {@code disk}, and per observed DataSource {@code database} and, when the database has the {@code vector} or
 * {@code ruvector} extension, {@code vector-extension} (readiness). With several DataSources the database checks
 * carry the pool name ({@code database-replica}). The checks query the wrapped pool directly, so their queries do
 * not count as application statements.
 */
final class DpgHealthChecks implements SmartInitializingSingleton {

    private static final System.Logger LOG = System.getLogger(DpgHealthChecks.class.getName());
    private static final HealthCheckOptions CACHED_10S = HealthCheckOptions.builder()
            .cacheFor(Duration.ofSeconds(10)).build();

    private final ObjectProvider<HealthRegistry> registry;
    private final ListableBeanFactory beans;

    DpgHealthChecks(ObjectProvider<HealthRegistry> registry, ListableBeanFactory beans) {
        this.registry = registry;
        this.beans = beans;
    }

    @Override
    public void afterSingletonsInstantiated() {
        HealthRegistry health = registry.getIfAvailable();
        if (health == null) {
            return;
        }
        health.register("jvm", HealthChecks.jvm(), HealthGroup.LIVENESS);
        health.register("deadlocks", HealthChecks.deadlocks(),
                HealthCheckOptions.builder().cacheFor(Duration.ofSeconds(5)).build(), HealthGroup.LIVENESS);
        health.register("disk", HealthChecks.diskSpace(Path.of("."), 100L * 1024 * 1024), CACHED_10S,
                HealthGroup.READINESS);
        Map<String, DataSource> dataSources = beans.getBeansOfType(DataSource.class, false, false);
        long observed = dataSources.values().stream().filter(ObservedDataSource.class::isInstance).count();
        for (DataSource ds : dataSources.values()) {
            if (!(ds instanceof ObservedDataSource o)) {
                continue;
            }
            String suffix = observed > 1 ? "-" + o.poolName() : "";
            health.register("database" + suffix, HealthChecks.database(o.delegate()), HealthGroup.READINESS);
            if (hasVectorExtension(o.delegate())) {
                health.register("vector-extension" + suffix, HealthChecks.vectorExtension(o.delegate()), CACHED_10S,
                        HealthGroup.READINESS);
            }
        }
    }

    /** One short query at start; a database that cannot answer it gets no vector check (logged). */
    private static boolean hasVectorExtension(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            try (ResultSet rs = s.executeQuery(
                    "SELECT 1 FROM pg_catalog.pg_extension WHERE extname IN ('vector', 'ruvector')")) {
                return rs.next();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "dpg-observability: could not tell whether the database has a vector "
                    + "extension (" + e.getClass().getSimpleName() + "); no vector-extension health check");
            return false;
        }
    }
}
