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
package io.dpg.observability.jdbc.collector;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CollectorSqlTest {

    @Test
    void postgres15And16ReadCheckpointsFromBgwriter() {
        assertThat(CollectorSql.checkpoints(150008)).contains("pg_stat_bgwriter").contains("checkpoints_req");
        assertThat(CollectorSql.checkpoints(160004)).isEqualTo(CollectorSql.CHECKPOINTS_BGWRITER);
    }

    @Test
    void postgres17AndLaterReadCheckpointsFromCheckpointer() {
        assertThat(CollectorSql.checkpoints(170000)).contains("pg_stat_checkpointer").contains("num_requested");
        assertThat(CollectorSql.checkpoints(180001)).isEqualTo(CollectorSql.CHECKPOINTS_PG17);
    }

    @Test
    void walStatisticsExistFromPostgres14() {
        assertThat(CollectorSql.wal(130012)).isNull();
        assertThat(CollectorSql.wal(140000)).contains("pg_stat_wal");
    }

    @Test
    void ruhnswIsTaggedAsHnswAndOnlyVectorMethodsCount() {
        assertThat(CollectorSql.methodTag("ruhnsw")).isEqualTo("hnsw");
        assertThat(CollectorSql.methodTag("ivfflat")).isEqualTo("ivfflat");
        assertThat(CollectorSql.isVectorAccessMethod("ruivfflat")).isTrue();
        assertThat(CollectorSql.isVectorAccessMethod("btree")).isFalse();
    }

    @Test
    void ruvectorCallsAreQualifiedWithTheExtensionSchemaAndQuoted() {
        Capabilities caps = new Capabilities(170006, 100, "0.1.0", "my\"schema",
                Set.of(Capabilities.FN_MEMORY_STATS), null);
        assertThat(CollectorSql.ruvectorMemory(caps)).contains("\"my\"\"schema\".\"ruvector_memory_stats\"()");
        assertThat(caps.hasRuVectorFunction(Capabilities.FN_MEMORY_STATS)).isTrue();
        assertThat(caps.hasRuVectorFunction(Capabilities.FN_HNSW_DEBUG)).isFalse();
    }

    @Test
    void cacheHitRatioIsUndefinedBeforeAnyBlockIsRequested() {
        assertThat(Probes.Database.cacheHitRatio(0, 0)).isNaN();
        assertThat(Probes.Database.cacheHitRatio(90, 10)).isEqualTo(0.9);
    }
}
