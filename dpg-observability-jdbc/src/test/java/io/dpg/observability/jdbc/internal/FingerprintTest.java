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

import io.dpg.observability.jdbc.sql.StatementInfo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprintTest {

    private final SqlClassifier classifier = new SqlClassifier(0);

    private String fp(String sql) {
        return classifier.classify(sql).fingerprint();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        SELECT * FROM t WHERE a = 1 AND b = 'x'                 | select * from t where a = ? and b = ?
        select *   from T  where A=$1                           | select * from t where a = ?
        SELECT id FROM items ORDER BY embedding <-> '[1,2,3]'::vector(3) LIMIT 5 | select id from items order by embedding <-> ?::vector(?) limit ?
        SELECT * FROM t WHERE id IN (1, 2, 3)                   | select * from t where id in (...)
        SELECT * FROM t WHERE id NOT IN ('a','b')               | select * from t where id not in (...)
        SELECT * FROM t WHERE id IN ($1, $2, -3, NULL)          | select * from t where id in (...)
        SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4))        | select * from t where (a, b) in (...)
        SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x IN (1,2)) | select * from t where id in (select id from u where x in (...))
        INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z') | insert into t(a, b) values (...)
        INSERT INTO t VALUES (?, ?::ruvector)                   | insert into t values (...)
        INSERT INTO t VALUES (1, now()), (2, now())             | insert into t values (?, now()), (?, now())
        SELECT "Order"."Id" FROM "Order" /* c */ -- d           | select "Order"."Id" from "Order"
        SELECT E'a\\'b', $$x$$, $q$y$q$, B'01', X'1F', 1.5e-3   | select ?, ?, ?, ?, ?, ?
        SELECT count(*) FROM t                                  | select count(*) from t
        """)
    void literalsBecomePlaceholdersAndListsCollapse(String sql, String expected) {
        assertThat(fp(sql)).isEqualTo(expected);
    }

    @Test
    void statementsThatDifferOnlyInLiteralsShareAFingerprint() {
        assertThat(fp("SELECT * FROM items ORDER BY embedding <-> '[1,2,3]' LIMIT 5"))
                .isEqualTo(fp("select *\n  from items\n order by embedding <-> '[9,8,7]' limit 10 -- hi"))
                .isEqualTo(fp("SELECT * FROM items ORDER BY embedding <-> ? LIMIT ?"));
        assertThat(fp("SELECT 1 FROM t WHERE id IN (1)")).isEqualTo(fp("SELECT 1 FROM t WHERE id IN (1,2,3,4,5,6,7,8,9)"));
    }

    @Test
    void severalStatementsAreJoinedBySemicolons() {
        assertThat(fp("SET x = 1; SELECT 2;")).isEqualTo("set x = ?; select ?");
    }

    @Test
    void longStatementIsCappedAndMarkedTruncated() {
        StringBuilder sb = new StringBuilder("SELECT a0");
        for (int i = 1; i < 5000; i++) {
            sb.append(", a").append(i);
        }
        StatementInfo info = classifier.classify(sb.append(" FROM t").toString());

        assertThat(info.fingerprint()).hasSizeLessThanOrEqualTo(Fingerprint.MAX_LENGTH).endsWith("\u2026");
        assertThat(info.fingerprintTruncated()).isTrue();
    }

    @Test
    void hugeInListCollapsesEvenPastTheCap() {
        StringBuilder sb = new StringBuilder("SELECT * FROM t WHERE id IN (");
        for (int i = 0; i < 100_000; i++) {
            sb.append(i == 0 ? "" : ", ").append(i);
        }
        StatementInfo info = classifier.classify(sb.append(") AND b = 'x'").toString());

        assertThat(info.fingerprint()).isEqualTo("select * from t where id in (...) and b = ?");
        assertThat(info.fingerprintTruncated()).isFalse();
    }

    @Test
    void shortStatementIsNotMarkedTruncated() {
        assertThat(classifier.classify("SELECT 1").fingerprintTruncated()).isFalse();
    }
}
