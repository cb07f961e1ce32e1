package io.dpg.observability.spring;

import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.quality.SearchQualityConfig;
import io.dpg.observability.jdbc.testsupport.Await;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application that turns the search-quality sampler on with {@code dpg.observability.search-quality.*}:
 * the properties reach the wrapped DataSource's {@link SearchQualityConfig}, and its vector searches get a measured
 * recall in the Prometheus scrape.
 */
class SearchQualityApplicationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    private static final String SEARCH = "SELECT id FROM sbq_items ORDER BY embedding <-> ?::real[] LIMIT 5";

    private static RunningApp app;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        TestDatabase db = TestDatabase.get();
        app = RunningApp.start(App.class, Map.of(
                "spring.datasource.url", db.jdbcUrl(),
                "spring.datasource.username", db.user(),
                "dpg.observability.collector.enabled", "false",
                "dpg.observability.search-quality.enabled", "true",
                "dpg.observability.search-quality.samples-per-minute", "6000",
                "dpg.observability.search-quality.budget", "1000",
                "dpg.observability.search-quality.statement-timeout", "3s",
                "dpg.observability.search-quality.index-check-interval", "2m",
                "dpg.observability.search-quality.max-rows", "500"));
        jdbc = app.context.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE TABLE IF NOT EXISTS sbq_items (id bigserial PRIMARY KEY, embedding real[])");
        jdbc.execute("TRUNCATE sbq_items");
        jdbc.update("INSERT INTO sbq_items (embedding) SELECT ARRAY[sin(g), cos(g), sin(g * 0.5)]::real[]"
                + " FROM generate_series(1, 300) g");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void thePropertiesBecomeTheWrappedDataSourcesSearchQualityConfig() {
        DataSource ds = app.context.getBean(DataSource.class);
        assertThat(ds).isInstanceOf(ObservedDataSource.class);

        SearchQualityConfig quality = ((ObservedDataSource) ds).config().searchQuality();
        assertThat(quality.enabled()).isTrue();
        assertThat(quality.samplesPerMinute()).isEqualTo(6000.0);
        assertThat(quality.budget()).isEqualTo(1000.0);
        assertThat(quality.statementTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(quality.indexCheckInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(quality.maxRows()).isEqualTo(500);
        assertThat(quality.maxConnections()).as("not set: the default").isZero();
    }

    @Test
    void vectorSearchesOfTheApplicationGetAMeasuredRecallInThePrometheusScrape() throws InterruptedException {
        AtomicReference<String> recallLine = new AtomicReference<>();
        double[] x = {0};
        boolean measured = Await.until(() -> {
            assertThat(jdbc.queryForList(SEARCH, Long.class, "{" + (x[0] += 0.1) + ",0.5,0.5}")).hasSize(5);
            app.get("/actuator/prometheus").body().lines()
                    .filter(l -> l.startsWith("ruvector_search_recall_count{") && l.contains("collection=\"sbq_items\"")
                            && !l.endsWith(" 0") && !l.endsWith(" 0.0"))
                    .findFirst().ifPresent(recallLine::set);
            return recallLine.get() != null;
        }, Duration.ofMinutes(2));

        assertThat(measured).as("a recall sample within 2 minutes of searching").isTrue();
        System.out.println("Recall in the scrape: " + recallLine.get());
        String mean = app.get("/actuator/prometheus").body().lines()
                .filter(l -> l.startsWith("ruvector_search_recall_sum{") && l.contains("collection=\"sbq_items\""))
                .findFirst().orElseThrow();
        assertThat(mean).as("the sum of recalls is positive (no index serves the stand-in: exact)").doesNotEndWith(" 0.0");
    }
}
