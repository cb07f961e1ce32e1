package io.dpg.observability.jdbc.sql;

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
