package io.dpg.observability.examples.demo;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.collector.CollectorConfig;
import io.dpg.observability.jdbc.collector.PostgresCollector;
import io.dpg.observability.jdbc.quality.SearchQualityConfig;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;

/** Where the demo plugs the library into its pool: the one-line DataSource wrap and the server collector. */
final class Instrumentation {

    private Instrumentation() {
    }

    /**
     * Wraps {@code pool} (every statement timed and classified, connections watched for leaks) and starts the
     * PostgreSQL/RuVector statistics collector on its own connection from the pool. {@code DPG_DEMO_SEARCH_QUALITY=on}
     * also runs the search-quality sampler (recall@k, index usage) at its default rate and budget, borrowing only
     * idle pool connections (off by default, as in the library).
     */
    static DataSource wrap(DataSource pool, DpgObservability obs, List<AutoCloseable> resources) {
        ObservedDataSource observed = ObservedDataSource.wrap(pool, obs, JdbcObservabilityConfig.builder()
                .poolName("dpg-demo")
                .leakDetectionThreshold(Duration.ofSeconds(30))
                .vectorIndexRefreshInterval(Duration.ofSeconds(30))
                .searchQuality(SearchQualityConfig.builder()
                        .enabled("on".equalsIgnoreCase(System.getenv("DPG_DEMO_SEARCH_QUALITY")))
                        .build())
                .build());
        PostgresCollector collector = PostgresCollector.create(pool, obs, CollectorConfig.builder()
                .pollInterval(Duration.ofSeconds(5))
                .build());
        collector.bindTo(obs.registry());
        resources.add(collector);
        return observed;
    }
}
