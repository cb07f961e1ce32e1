package io.dpg.observability.docs;

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.IndexOperation;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.QueryType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsDocumentationTest {

    @Test
    void everyCoreMeterIsDocumentedAndEveryDocumentedCoreMeterExists() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpgObservability obs = DpgObservability.create(registry, ObservabilityConfig.builder().maxTagValues(1)
                .naming(ObservabilityConfig.Naming.BOTH).build());
        obs.vectorSearch("docs", DistanceMetric.L2).record(1_000, 5, 5, null);
        obs.vectorSearch("docs", DistanceMetric.L2).recordRecall(0.95);
        obs.vectorSearch("other_collection", DistanceMetric.L2).record(1_000, 5, 5, null);
        for (IndexOperation op : IndexOperation.values()) {
            obs.indexOperation("docs", op).record(1_000, new SQLException("x", "53100"));
        }
        for (QueryType t : QueryType.values()) {
            obs.query(t).record(1_000, null);
        }
        obs.efSearch("docs", 64);
        obs.registerIndexSize("public", "docs", "docs_hnsw", "hnsw", () -> 1);
        obs.registerVectorCount("public", "docs", () -> 1);
        obs.registerIndexParameter("public", "docs", "docs_hnsw", "m", () -> 16);

        assertThat(MetricsDocumentation.registered(registry, "ruvector.", "dpg.", "db."))
                .isEqualTo(MetricsDocumentation.documented("core"));
    }
}
