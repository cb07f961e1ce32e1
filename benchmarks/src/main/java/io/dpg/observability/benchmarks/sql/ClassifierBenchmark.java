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
package io.dpg.observability.benchmarks.sql;

import io.dpg.observability.jdbc.internal.SqlClassifier;
import io.dpg.observability.jdbc.sql.StatementInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What classifying one statement costs beside what the driver itself spends on the same text. The statement is
 * the shape LangChain4j's {@code PgVectorEmbeddingStore} sends for every search: the query vector (1536
 * dimensions, as from a common embedding model) inlined as a literal three times, about 50 KB of SQL. Such a
 * statement is longer than the classifier cache takes ({@link SqlClassifier#MAX_CACHED_SQL_LENGTH}), so it is
 * classified on every {@code Statement} execution and on every {@code prepareStatement}: that cost must stay
 * small beside pgjdbc's own {@code Parser.parseJdbcSql}, which runs on the same text each time. Goal: ours at
 * most 10 % of the driver's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class ClassifierBenchmark {

    static final int DIMENSIONS = 1536;

    private final SqlClassifier classifier = new SqlClassifier(0);
    String sql;

    @Setup
    public void setUp() {
        sql = langChain4jSearch(vectorLiteral(DIMENSIONS, 42));
        StatementInfo info = classifier.classifyUncached(sql);
        if (!info.isVectorSearch() || !"embeddings".equals(info.table()) || info.limit() != 5) {
            throw new IllegalStateException("the benchmark statement is not classified as its search: " + info);
        }
    }

    /** {@code [x, y, ...]} as Java prints floats, the way LangChain4j writes its literal. */
    static String vectorLiteral(int dimensions, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder(dimensions * 14).append('[');
        for (int i = 0; i < dimensions; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append((float) (r.nextDouble() * 2 - 1) / 40f);
        }
        return b.append(']').toString();
    }

    static String langChain4jSearch(String v) {
        return String.format(Locale.ROOT, "SELECT (2 - (embedding <=> '%s')) / 2 AS score, embedding_id, embedding, "
                + "text, metadata FROM embeddings WHERE round(cast(float8 (embedding <=> '%s') as numeric), 8) <= "
                + "round(2 - 2 * 0.7, 8) AND (metadata->>'tenant')::text = 'acme' ORDER BY embedding <=> '%s' "
                + "LIMIT 5;", v, v, v);
    }

    /** The harness floor. */
    @Benchmark
    public void baseline() {
        // empty on purpose
    }

    /** Our classification of the statement (never cached: it is longer than the cache takes). */
    @Benchmark
    public StatementInfo ours() {
        return classifier.classifyUncached(sql);
    }

    /** pgjdbc's own parse of the same text, as the driver does for each execution of such SQL. */
    @Benchmark
    public List<NativeQuery> pgjdbcParseJdbcSql() throws SQLException {
        return Parser.parseJdbcSql(sql, true, true, true, false, true);
    }
}
