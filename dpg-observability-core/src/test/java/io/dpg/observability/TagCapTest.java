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
package io.dpg.observability;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TagCapTest {

    @Test
    void collectionsBeyondTheCapBecomeOtherAndAreCounted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DpgObservability obs = DpgObservability.create(registry, ObservabilityConfig.builder().maxTagValues(3).build());
        for (int i = 0; i < 10; i++) {
            obs.vectorSearch("tenant_" + i, DistanceMetric.L2).record(1_000, 5, 5, null);
        }
        assertThat(registry.find("ruvector.search.latency").tag("outcome", "success").functionTimers())
                .extracting(t -> t.getId().getTag("collection"))
                .containsExactlyInAnyOrder("tenant_0", "tenant_1", "tenant_2", "other");
        assertThat(registry.get("ruvector.search.latency").tag("collection", "other").tag("outcome", "success")
                .functionTimer().count()).isEqualTo(7);
        assertThat(registry.get("dpg.observability.tag.overflow").tag("tag", "collection").counter().count())
                .isEqualTo(7.0);
    }

    @Test
    void nullAndEmptyCollectionsBecomeUnknownInsteadOfFailing() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DpgObservability obs = DpgObservability.create(registry);
        obs.vectorSearch(null, DistanceMetric.L2).record(1_000, 1, 1, null);
        obs.vectorSearch("", DistanceMetric.L2).record(1_000, 1, 1, null);
        assertThat(registry.get("ruvector.search.latency").tag("collection", "unknown").tag("outcome", "success")
                .functionTimer().count()).isEqualTo(2);
    }

    @Test
    void observersAreCachedPerCollectionAndMetric() {
        DpgObservability obs = DpgObservability.create(new SimpleMeterRegistry());
        assertThat(obs.vectorSearch("a", DistanceMetric.L2)).isSameAs(obs.vectorSearch("a", DistanceMetric.L2));
        assertThat(obs.vectorSearch("a", DistanceMetric.L2)).isNotSameAs(obs.vectorSearch("a", DistanceMetric.COSINE));
        assertThat(obs.query(QueryType.SELECT)).isSameAs(obs.query(QueryType.SELECT));
        assertThat(obs.indexOperation("a", IndexOperation.BUILD)).isSameAs(obs.indexOperation("a", IndexOperation.BUILD));
    }
}
