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
     * PostgreSQL/RuVector statistics collector on its own connection from the pool. The search-quality sampler
     * (recall@k, index usage) runs at its default rate and budget, borrowing only idle pool connections, so the
     * dashboard's search-quality row and its alerts have data; {@code DPG_DEMO_SEARCH_QUALITY=off} turns it off
     * (it is off by default in the library). On the RuVector stand-in no index can serve an ORDER BY distance, so
     * the sampler reports every search shape as served by no index ({@code ruvector_search_plans{access="none"}})
     * and RuVectorSearchWithoutIndex fires: that is the truth about the stand-in's sequential-scan searches.
     */
    static DataSource wrap(DataSource pool, DpgObservability obs, List<AutoCloseable> resources) {
        ObservedDataSource observed = ObservedDataSource.wrap(pool, obs, JdbcObservabilityConfig.builder()
                .poolName("dpg-demo")
                .leakDetectionThreshold(Duration.ofSeconds(30))
                .vectorIndexRefreshInterval(Duration.ofSeconds(30))
                .searchQuality(SearchQualityConfig.builder()
                        .enabled(!"off".equalsIgnoreCase(System.getenv("DPG_DEMO_SEARCH_QUALITY")))
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
