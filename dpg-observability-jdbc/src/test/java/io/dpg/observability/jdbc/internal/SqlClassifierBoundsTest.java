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

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.QueryType;
import io.dpg.observability.jdbc.sql.StatementInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Size, nesting, garbage and concurrency: classification stays bounded and never throws. */
class SqlClassifierBoundsTest {

    @Test
    void tenMegabyteStatementIsClassifiedWithACappedFingerprint() {
        StringBuilder sb = new StringBuilder(10 * 1024 * 1024 + 100);
        sb.append("SELECT id FROM items WHERE tag IN (");
        while (sb.length() < 10 * 1024 * 1024) {
            sb.append("'tag-").append(sb.length()).append("', ");
        }
        sb.append("'last') AND note <> 'a <-> b' ORDER BY embedding <=> $1 LIMIT 10");
        String sql = sb.toString();
        SqlClassifier classifier = new SqlClassifier(16);

        StatementInfo info = classifier.classify(sql);

        assertThat(info.queryType()).isEqualTo(QueryType.VECTOR_SEARCH);
        assertThat(info.table()).isEqualTo("items");
        assertThat(info.metric()).isEqualTo(DistanceMetric.COSINE);
        assertThat(info.limit()).isEqualTo(10);
        assertThat(info.fingerprint()).isEqualTo("select id from items where tag in (...) and note <> ? order by embedding <=> ? limit ?");
        assertThat(classifier.cachedEntries()).as("over-long SQL is not cached").isZero();
    }

    @Test
    void tenMegabytesOfDistinctColumnsGiveACappedFingerprint() {
        StringBuilder sb = new StringBuilder(10 * 1024 * 1024 + 100).append("SELECT c0");
        for (int i = 1; sb.length() < 10 * 1024 * 1024; i++) {
            sb.append(", c").append(i);
        }
        StatementInfo info = new SqlClassifier(0).classify(sb.append(" FROM t").toString());

        assertThat(info.queryType()).isEqualTo(QueryType.SELECT);
        assertThat(info.fingerprint().length()).isLessThanOrEqualTo(Fingerprint.MAX_LENGTH);
        assertThat(info.fingerprintTruncated()).isTrue();
    }

    @Test
    void deepNestingIsClassifiedWithoutRecursion() {
        int depth = 200_000;
        String sql = "SELECT " + "(".repeat(depth) + "1" + ")".repeat(depth)
                + " FROM items ORDER BY embedding <-> $1 LIMIT 2";

        StatementInfo info = new SqlClassifier(0).classify(sql);

        assertThat(info.queryType()).isEqualTo(QueryType.VECTOR_SEARCH);
        assertThat(info.table()).isEqualTo("items");
        assertThat(info.limit()).isEqualTo(2);
    }

    @Test
    void unbalancedParenthesesDoNotConfuseLaterStatements() {
        SqlClassifier classifier = new SqlClassifier(0);

        assertThat(classifier.classify("SELECT ((((1 FROM t; SELECT id FROM items ORDER BY e <-> $1 LIMIT 1").table())
                .isEqualTo("items");
        assertThat(classifier.classify("SELECT 1)))) FROM t ORDER BY x").queryType()).isEqualTo(QueryType.SELECT);
    }

    @Test
    void malformedInputNeverThrows() {
        String[] samples = {
            "'", "\"", "$", "$$", "$a", "$a$", "E'", "E'\\", "U&'", "U&\"", "/*", "/* /*", "--", "(", ")", "::", ";",
            "{", "}", "{?", "{? =", "WITH", "WITH a", "WITH a AS", "WITH a AS (", "WITH a AS (SELECT", "SELECT * FROM",
            "SELECT * FROM (", "SELECT * FROM a ORDER BY", "SELECT * FROM a ORDER BY e <->", "SELECT * FROM a LIMIT",
            "CREATE INDEX", "CREATE INDEX ON", "CREATE INDEX ON t USING", "DROP INDEX", "REINDEX", "REINDEX INDEX",
            "SET", "SET hnsw", "SET hnsw.", "SET hnsw.ef_search", "SET hnsw.ef_search =", "SELECT set_config(",
            "SELECT set_config('hnsw.ef_search',", "INSERT", "INSERT INTO", "UPDATE", "DELETE FROM", "VALUES (",
            "SELECT \"unterminated FROM t ORDER BY e <-> 1", "\u0000\u0001\uFFFF", "\uD800", "SELECT 99999999999999999999999 LIMIT 99999999999999999999999",
        };
        for (String s : samples) {
            // the analyzer itself, not the classifier's catch-all (which would turn any exception into UNKNOWN)
            StatementInfo info = new SqlAnalyzer(s).run();
            assertThat(info).as(s).isNotNull();
            assertThat(info.fingerprint()).as(s).isNotNull();
        }
    }

    @Test
    void randomGarbageNeverThrowsAndNeverLoops() {
        Random random = new Random(42);
        String alphabet = "SELECT FROM ORDER BY LIMIT WITH AS ( ) , ; ' \" $ $$ $t$ E' -- /* */ :: <-> <=> <#> <+> ? $1 . * = { } \n items e 1";
        String[] parts = alphabet.split(" ");
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int j = 0; j < n; j++) {
                sb.append(parts[random.nextInt(parts.length)]);
                if (random.nextBoolean()) {
                    sb.append(' ');
                }
            }
            String sql = sb.toString();
            if (sql.isEmpty()) {
                continue; // the classifier answers empty SQL without analysing it
            }
            StatementInfo info = new SqlAnalyzer(sql).run(); // the analyzer itself: an exception fails the test
            assertThat(info).isNotNull();
            assertThat(info.fingerprint().length()).isLessThanOrEqualTo(Fingerprint.MAX_LENGTH);
        }
    }

    @Test
    void millionDistinctLiteralStatementsKeepTheCacheWithinItsCapacity() {
        SqlClassifier classifier = new SqlClassifier(1000);
        int maxSeen = 0;
        for (int i = 0; i < 1_000_000; i++) {
            StatementInfo info = classifier.classify("SELECT * FROM items WHERE id = " + i);
            if (i % 1000 == 0) {
                assertThat(info.fingerprint()).isEqualTo("select * from items where id = ?");
                maxSeen = Math.max(maxSeen, classifier.cachedEntries());
            }
        }
        assertThat(maxSeen).isPositive();
        assertThat(classifier.cachedEntries()).isLessThanOrEqualTo(1000);
        assertThat(maxSeen).isLessThanOrEqualTo(1000);
    }

    @Test
    void statementInUseStaysCachedWhileOthersChurn() {
        SqlClassifier classifier = new SqlClassifier(100);
        String hot = "SELECT id FROM items ORDER BY embedding <-> $1 LIMIT 5";
        StatementInfo first = classifier.classify(hot);
        for (int i = 0; i < 10_000; i++) {
            classifier.classify("SELECT " + i);
            if (i % 20 == 0) {
                assertThat(classifier.classify(hot)).isSameAs(first);
            }
        }
    }

    @Test
    void zeroCapacityCachesNothing() {
        SqlClassifier classifier = new SqlClassifier(0);
        classifier.classify("SELECT 1");
        assertThat(classifier.cachedEntries()).isZero();
    }

    @Test
    void capacityOneHoldsAtMostOne() {
        SqlClassifier classifier = new SqlClassifier(1);
        for (int i = 0; i < 100; i++) {
            classifier.classify("SELECT " + i);
            assertThat(classifier.cachedEntries()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void concurrentClassificationAgreesWithSingleThreaded() throws Exception {
        SqlClassifier shared = new SqlClassifier(50);
        List<String> sqls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sqls.add(i % 2 == 0
                    ? "SELECT id FROM t" + (i % 7) + " ORDER BY e <=> $1 LIMIT " + i
                    : "UPDATE t" + (i % 5) + " SET a = " + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    SqlClassifier reference = new SqlClassifier(0);
                    Random r = new Random(seed);
                    for (int i = 0; i < 20_000; i++) {
                        String sql = sqls.get(r.nextInt(sqls.size()));
                        StatementInfo got = shared.classify(sql);
                        StatementInfo want = reference.classify(sql);
                        if (!got.toString().equals(want.toString()) || !got.fingerprint().equals(want.fingerprint())) {
                            throw new AssertionError(sql + ": " + got + " != " + want);
                        }
                        if (i % 100 == 0) {
                            assertThat(shared.cachedEntries()).isLessThanOrEqualTo(50);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
