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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LimitParameterTest {

    private final SqlClassifier classifier = new SqlClassifier(100);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT id FROM items ORDER BY embedding <-> ? LIMIT ?                                      | 2",
            "SELECT id FROM items WHERE tenant = ? ORDER BY embedding <=> ?::vector LIMIT ?            | 3",
            "SELECT id FROM items ORDER BY embedding <-> $1 LIMIT $2                                    | 2",
            "SELECT id FROM items ORDER BY embedding <-> $2 LIMIT $1                                    | 1",
            "WITH q AS (SELECT ?::vector AS v) SELECT i.id FROM items i, q ORDER BY i.embedding <=> q.v LIMIT ? | 2",
            "select d1_0.id from documents d1_0 order by d1_0.embedding<=>? fetch first ? rows only     | 2",
            "SELECT id FROM items ORDER BY embedding <-> ? LIMIT 10                                     | -1",
            "SELECT id FROM items WHERE note = '?' ORDER BY embedding <-> ? /* ? */ LIMIT ?            | 2",
            "SELECT id FROM items WHERE id > ? LIMIT ?                                                  | -1"})
    void theLimitPlaceholderOfAVectorSearchIsFound(String sql, int expected) {
        assertThat(classifier.classify(sql).limitParameter()).isEqualTo(expected);
    }
}
