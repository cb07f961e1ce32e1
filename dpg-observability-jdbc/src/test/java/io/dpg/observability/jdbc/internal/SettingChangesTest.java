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
package io.dpg.observability.jdbc.internal;

import io.dpg.observability.jdbc.sql.SettingChange;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every way a statement changes a vector search setting, read into {@link SettingChange}s. */
class SettingChangesTest {

    private final SqlClassifier classifier = new SqlClassifier(100);

    record Case(String sql, List<SettingChange> expected) {
        @Override
        public String toString() {
            return sql;
        }
    }

    private static SettingChange set(String name, long value, boolean local) {
        return new SettingChange(name, value, -1, local, false);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("SET hnsw.ef_search = 100", List.of(set("hnsw.ef_search", 100, false))),
                new Case("SET LOCAL hnsw.ef_search TO 64", List.of(set("hnsw.ef_search", 64, true))),
                new Case("set session ivfflat.probes = '10'", List.of(set("ivfflat.probes", 10, false))),
                new Case("SET hnsw.iterative_scan = strict_order", List.of(set("hnsw.iterative_scan", 1, false))),
                new Case("SET LOCAL ivfflat.iterative_scan = 'relaxed_order'", List.of(set("ivfflat.iterative_scan", 2, true))),
                new Case("SET hnsw.iterative_scan = off", List.of(set("hnsw.iterative_scan", 0, false))),
                new Case("SET hnsw.max_scan_tuples = 40000", List.of(set("hnsw.max_scan_tuples", 40000, false))),
                new Case("SET ruvector.ef_search = 200", List.of(set("ruvector.ef_search", 200, false))),
                new Case("SET ruvector.probes TO 4", List.of(set("ruvector.probes", 4, false))),
                new Case("SET hnsw.ef_search TO DEFAULT", List.of(new SettingChange("hnsw.ef_search", -1, -1, false, true))),
                new Case("RESET hnsw.ef_search", List.of(new SettingChange("hnsw.ef_search", -1, -1, false, true))),
                new Case("RESET ALL", List.of(new SettingChange("*", -1, -1, false, true))),
                new Case("SELECT set_config('hnsw.ef_search', '80', false)", List.of(set("hnsw.ef_search", 80, false))),
                new Case("SELECT set_config('hnsw.ef_search', '80', true)", List.of(set("hnsw.ef_search", 80, true))),
                new Case("select set_config('ivfflat.probes', ?, true)", List.of(new SettingChange("ivfflat.probes", -1, 1, true, false))),
                new Case("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', 't')", List.of(set("hnsw.iterative_scan", 2, true))),
                new Case("SET LOCAL hnsw.ef_search = 200; SET LOCAL hnsw.iterative_scan = relaxed_order; "
                        + "SELECT id FROM items ORDER BY embedding <=> ? LIMIT 10",
                        List.of(set("hnsw.ef_search", 200, true), set("hnsw.iterative_scan", 2, true))),
                new Case("BEGIN; SET LOCAL ivfflat.probes = 7; SELECT 1", List.of(set("ivfflat.probes", 7, true))),
                new Case("SET search_path = app; SET statement_timeout = 5", List.of()),
                new Case("SELECT set_config('search_path', 'x', false)", List.of()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everySettingChangeOfTheStringIsRead(Case c) {
        assertThat(classifier.classify(c.sql()).settingChanges()).isEqualTo(c.expected());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aSearchAfterItsSettingsIsStillTheSearch(Case c) {
        if (c.sql().contains("ORDER BY embedding")) {
            assertThat(classifier.classify(c.sql()).isVectorSearch()).isTrue();
        }
    }
}
