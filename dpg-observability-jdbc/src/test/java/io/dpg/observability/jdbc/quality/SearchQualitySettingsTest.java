package io.dpg.observability.jdbc.quality;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.testsupport.Await;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sample runs with the search settings of the connection that made the search, not with what another connection
 * set, and plain statements (query vector inlined) are sampled too. Each search below filters on
 * {@code current_setting(...)}, so a shadow run with other settings than the caller's returns other rows (none):
 * the sampler would count {@code no_rows} instead of {@code measured}. Embedded PostgreSQL 17, RuVector stand-in
 * (its ORDER BY is never served by an index, so recall is exactly 1).
 */
class SearchQualitySettingsTest {

    private static final String TABLE = "sq_settings_items";

    private final List<AutoCloseable> closing = new ArrayList<>();
    private SimpleMeterRegistry registry;
    private ObservedDataSource ds;

    @BeforeAll
    static void table() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigserial PRIMARY KEY, meta jsonb, embedding ruvector)");
            s.execute("TRUNCATE " + TABLE);
            s.execute("INSERT INTO " + TABLE + " (meta, embedding) SELECT jsonb_build_object('tag', g % 3),"
                    + " ARRAY[sin(g), cos(g), sin(g * 0.5)]::real[] FROM generate_series(1, 300) g");
        }
    }

    @BeforeEach
    void wrap() throws InterruptedException {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(TestDatabase.get().jdbcUrl());
        hc.setUsername(TestDatabase.get().user());
        hc.setMaximumPoolSize(3); // two callers, one spare for the sampler
        hc.setMinimumIdle(3);
        hc.setPoolName("sq-settings");
        HikariDataSource pool = new HikariDataSource(hc);
        closing.add(pool);
        Await.until(() -> pool.getHikariPoolMXBean().getIdleConnections() == 3, Duration.ofSeconds(30));
        registry = new SimpleMeterRegistry();
        ds = ObservedDataSource.wrap(pool, DpgObservability.create(registry), JdbcObservabilityConfig.builder()
                .vectorIndexRefreshInterval(Duration.ZERO)
                .searchQuality(SearchQualityConfig.builder().enabled(true).samplesPerMinute(6000).budget(1000)
                        .statementTimeout(Duration.ofSeconds(5)).build()).build());
        closing.add(ds::close);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private double outcome(String outcome) {
        return registry.find("ruvector.search.recall.samples").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static int prepared(Connection c, String where, double x) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + TABLE + " WHERE " + where
                + " ORDER BY embedding <-> ?::real[] LIMIT 5")) {
            ps.setString(1, "{" + x + ",0.5,0.5}");
            return count(ps.executeQuery());
        }
    }

    private static int count(ResultSet rs) throws SQLException {
        try (rs) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            return n;
        }
    }

    /** Searches with {@code search} until {@code measured} samples more were measured (bounded by time). */
    private void searchUntilMeasured(double more, SearchCall search) throws Exception {
        double target = outcome("measured") + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; outcome("measured") < target && System.nanoTime() < deadline; i++) {
            assertThat(search.run(i * 0.01)).isEqualTo(5);
            Await.until(() -> outcome("measured") >= target, Duration.ofMillis(200));
        }
        assertThat(outcome("measured")).as("samples measured; outcomes no_rows %s, rejected %s, unusable %s",
                outcome("no_rows"), outcome("rejected"), outcome("unusable")).isGreaterThanOrEqualTo(target);
    }

    interface SearchCall {
        int run(double x) throws Exception;
    }

    @Test
    void aSampleRunsWithTheSettingsOfItsOwnConnectionOnly() throws Exception {
        try (Connection tuned = ds.getConnection(); Connection plain = ds.getConnection()) {
            try (Statement s = tuned.createStatement()) {
                s.execute("SET hnsw.ef_search = 10");
                s.execute("SET hnsw.iterative_scan = relaxed_order");
            }
            // the other connection set nothing: its samples must not run with ef_search 10
            searchUntilMeasured(2, x -> prepared(plain,
                    "current_setting('hnsw.ef_search', true) IS DISTINCT FROM '10'", x));
            // the tuned connection's samples run with both of its settings (the scan mode as its name)
            searchUntilMeasured(2, x -> prepared(tuned, "current_setting('hnsw.ef_search', true) = '10'"
                    + " AND current_setting('hnsw.iterative_scan', true) = 'relaxed_order'", x));
            assertThat(outcome("no_rows")).as("a shadow run with settings other than its caller's").isZero();
            assertThat(outcome("rejected")).isZero();
        }
        assertThat(registry.get("ruvector.search.recall").summary().mean()).isEqualTo(1.0);
    }

    @Test
    void aSetLocalCountsForTheTransactionThatMadeIt() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL ivfflat.probes = 7");
            }
            searchUntilMeasured(1, x -> prepared(c, "current_setting('ivfflat.probes', true) = '7'", x));
            c.commit();
            c.setAutoCommit(true);
            // the transaction ended, and its SET LOCAL with it: the next samples run without it
            searchUntilMeasured(1, x -> prepared(c,
                    "current_setting('ivfflat.probes', true) IS DISTINCT FROM '7'", x));
        }
        assertThat(outcome("no_rows")).isZero();
    }

    @Test
    void aPlainStatementsSearchIsSampledAsAPlainStatement() throws Exception {
        try (Connection c = ds.getConnection()) {
            // '?' is jsonb's key-exists operator here, not a parameter: only a plain Statement runs it
            searchUntilMeasured(2, x -> {
                try (Statement s = c.createStatement()) {
                    return count(s.executeQuery("SELECT id FROM " + TABLE + " WHERE meta ? 'tag'"
                            + " ORDER BY embedding <-> '{" + x + ",0.5,0.5}'::real[] LIMIT 5"));
                }
            });
            searchUntilMeasured(1, x -> {
                try (Statement s = c.createStatement()) {
                    assertThat(s.execute("SELECT id FROM " + TABLE
                            + " ORDER BY embedding <-> '{" + x + ",0.25,0.5}'::real[] LIMIT 5")).isTrue();
                    return count(s.getResultSet());
                }
            });
        }
        assertThat(outcome("rejected")).isZero();
        assertThat(registry.get("ruvector.search.recall").summary().mean()).isEqualTo(1.0);
    }
}
