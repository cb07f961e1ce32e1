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
package io.dpg.observability.jdbc.quality;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowRunnerTest {

    @Test
    void indexNamesAreReadFromAJsonPlanInOrderOnce() {
        String plan = "[{\"Plan\": {\"Node Type\": \"Limit\", \"Plans\": [{\"Node Type\": \"Index Scan\","
                + " \"Index Name\": \"items_hnsw\"}, {\"Node Type\": \"Index Scan\", \"Index Name\": \"odd\\\"name\"},"
                + " {\"Index Name\": \"items_hnsw\"}]}}]";
        assertThat(ShadowRunner.indexNames(plan)).containsExactly("items_hnsw", "odd\"name");
        assertThat(ShadowRunner.indexNames("[{\"Plan\": {\"Node Type\": \"Seq Scan\"}}]")).isEmpty();
    }

    @Test
    void rowsInCommonCountDuplicatesOnce() {
        assertThat(ShadowRunner.common(new long[] {1, 2, 2, 5}, new long[] {2, 3, 5, 7})).isEqualTo(2);
        assertThat(ShadowRunner.common(new long[] {2, 2}, new long[] {2, 2, 2})).isEqualTo(2);
        assertThat(ShadowRunner.common(new long[0], new long[] {1})).isZero();
    }

    @Test
    void statementsThatTouchTheSessionOrTheOutsideAreNeverReRun() {
        assertThat(SearchQuality.Shape.readOnly("SELECT id FROM t ORDER BY e <-> ? LIMIT 5")).isTrue();
        assertThat(SearchQuality.Shape.readOnly("SELECT set_config('x', '1', false), id FROM t ORDER BY e <-> ?")).isFalse();
        assertThat(SearchQuality.Shape.readOnly("SELECT pg_advisory_lock(1), id FROM t ORDER BY e <-> ?")).isFalse();
        assertThat(SearchQuality.Shape.readOnly("SELECT id FROM t ORDER BY e <-> ? LIMIT 5 FOR UPDATE")).isFalse();
    }
}
