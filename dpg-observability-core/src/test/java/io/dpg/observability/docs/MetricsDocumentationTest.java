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
