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
package io.dpg.observability.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.postgresql.copy.CopyManager;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

import javax.sql.DataSource;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The wrapper is invisible to the application: driver classes, wrappers returned, close semantics, pools. */
class ObservedTransparencyTest {

    private SimpleMeterRegistry registry;
    private Meters meters;
    private ObservedDataSource ds;

    @BeforeAll
    static void schema() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS tr_items");
            s.execute("CREATE TABLE tr_items (id int PRIMARY KEY, name text)");
        }
    }

    @BeforeEach
    void setUp() {
        registry = new SimpleMeterRegistry();
        meters = new Meters(registry);
        ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(), DpgObservability.create(registry));
    }

    @AfterEach
    void tearDown() throws SQLException {
        ds.close();
    }

    @Test
    void unwrapReachesPgConnectionForCopyManager() throws Exception {
        try (Connection c = ds.getConnection()) {
            assertThat(c.isWrapperFor(PGConnection.class)).isTrue();
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE tr_items");
            }
            long in = copy.copyIn("COPY tr_items (id, name) FROM STDIN WITH (FORMAT csv)",
                    new StringReader("1,one\n2,two\n3,three\n"));
            assertThat(in).isEqualTo(3);
            StringWriter out = new StringWriter();
            long copiedOut = copy.copyOut("COPY (SELECT id, name FROM tr_items ORDER BY id) TO STDOUT WITH (FORMAT csv)", out);
            assertThat(copiedOut).isEqualTo(3);
            assertThat(out.toString()).isEqualTo("1,one\n2,two\n3,three\n");
            // the connection is still usable through the wrapper afterwards
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM tr_items")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        }
    }

    @Test
    void largeObjectsWorkThroughUnwrap() throws SQLException {
        byte[] data = "a large object written through the observed connection".getBytes(StandardCharsets.UTF_8);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            LargeObjectManager lom = c.unwrap(PGConnection.class).getLargeObjectAPI();
            long oid = lom.createLO(LargeObjectManager.READWRITE);
            try (LargeObject lo = lom.open(oid, LargeObjectManager.WRITE)) {
                lo.write(data);
            }
            c.commit();
            try (LargeObject lo = lom.open(oid, LargeObjectManager.READ)) {
                assertThat(lo.read(data.length)).isEqualTo(data);
            }
            lom.delete(oid);
            c.commit();
        }
        assertThat(meters.counter("dpg.transactions", "outcome", "commit")).isEqualTo(2);
    }

    @Test
    void statementGetConnectionReturnsTheWrapper() throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                assertThat(s.getConnection()).isSameAs(c);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT 1")) {
                assertThat(ps.getConnection()).isSameAs(c);
            }
            try (CallableStatement cs = c.prepareCall("SELECT 1")) {
                assertThat(cs.getConnection()).isSameAs(c);
            }
        }
    }

    @Test
    void resultSetGetStatementReturnsTheWrapper() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.getStatement()).isSameAs(s);
            }
            assertThat(s.execute("SELECT 2")).isTrue();
            ResultSet rs = s.getResultSet();
            assertThat(rs.getStatement()).isSameAs(s);
            assertThat(s.getResultSet()).as("same result set, same wrapper").isSameAs(rs);
            try (PreparedStatement ps = c.prepareStatement("SELECT 1"); ResultSet prs = ps.executeQuery()) {
                assertThat(prs.getStatement()).isSameAs(ps);
            }
        }
    }

    @Test
    void databaseMetaDataGetConnectionReturnsTheWrapper() throws SQLException {
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            assertThat(md.getConnection()).isSameAs(c);
            assertThat(md.getDatabaseProductName()).isEqualTo("PostgreSQL");
            try (ResultSet tables = md.getTables(null, "public", "tr_items", null)) {
                assertThat(tables.next()).isTrue();
                assertThat(tables.getString("TABLE_NAME")).isEqualTo("tr_items");
                Statement owner = tables.getStatement();
                assertThat(owner).isInstanceOf(ObservedStatement.class);
                assertThat(owner.getConnection()).isSameAs(c);
            }
        }
    }

    @Test
    void closingConnectionClosesItsStatements() throws SQLException {
        Connection c = ds.getConnection();
        Statement s = c.createStatement();
        PreparedStatement ps = c.prepareStatement("SELECT 1");
        CallableStatement cs = c.prepareCall("SELECT 1");
        Statement closedEarly = c.createStatement();
        closedEarly.close();
        assertThat(((ObservedConnection) c).openStatements()).isEqualTo(3);
        c.close();
        assertThat(s.isClosed()).isTrue();
        assertThat(ps.isClosed()).isTrue();
        assertThat(cs.isClosed()).isTrue();
        assertThat(((ObservedConnection) c).openStatements()).isZero();
    }

    @Test
    void closedConnectionFailsExactlyLikeTheDriversClosedConnection() throws SQLException {
        Connection raw = TestDatabase.get().connect();
        raw.close();
        Throwable expected = catchThrowable(raw::createStatement);
        Connection c = ds.getConnection();
        c.close();
        c.close(); // a second close does nothing
        assertThat(c.isClosed()).isTrue();
        Throwable actual = catchThrowable(c::createStatement);
        assertThat(actual).isExactlyInstanceOf(expected.getClass()).hasMessage(expected.getMessage());
        assertThat(((SQLException) actual).getSQLState()).isEqualTo(((SQLException) expected).getSQLState());
        assertThat(meters.gauge("dpg.connections.in_use", "pool", ds.poolName())).isZero();
        assertThat(meters.timerCount("dpg.connections.usage")).isEqualTo(1);
    }

    @Test
    void sqlTextIsNotRewrittenAndServerPreparedStatementsStillWork() throws SQLException {
        String sql = "SELECT name FROM tr_items WHERE id = ?";
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.unwrap(PGStatement.class).setPrepareThreshold(1);
                for (int i = 0; i < 3; i++) {
                    ps.setInt(1, i);
                    ps.executeQuery().close();
                }
                assertThat(ps.unwrap(PGStatement.class).isUseServerPrepare()).isTrue();
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT statement FROM pg_prepared_statements")) {
                boolean found = false;
                while (rs.next()) {
                    found |= rs.getString(1).equals("SELECT name FROM tr_items WHERE id = $1");
                }
                assertThat(found).as("the server prepared exactly our SQL text").isTrue();
            }
        }
    }

    @Test
    void jdbc43MethodsAreDelegated() throws SQLException {
        try (Connection c = ds.getConnection(); Connection raw = TestDatabase.get().connect();
             Statement s = c.createStatement(); Statement rs = raw.createStatement()) {
            c.beginRequest();
            assertThat(s.enquoteLiteral("it's")).isEqualTo(rs.enquoteLiteral("it's"));
            assertThat(s.enquoteIdentifier("Mixed Case", false)).isEqualTo(rs.enquoteIdentifier("Mixed Case", false));
            assertThat(s.isSimpleIdentifier("plain")).isEqualTo(rs.isSimpleIdentifier("plain"));
            c.endRequest();
            assertThat(c.isValid(2)).isTrue();
            assertThat(c.getSchema()).isEqualTo(raw.getSchema());
        }
    }

    @Test
    void dataSourceUnwrapReachesTheDelegate() throws SQLException {
        assertThat(ds.unwrap(org.postgresql.ds.PGSimpleDataSource.class)).isSameAs(ds.delegate());
        assertThat(ds.isWrapperFor(org.postgresql.ds.PGSimpleDataSource.class)).isTrue();
        assertThat(ds.unwrap(ObservedDataSource.class)).isSameAs(ds);
        assertThat(ds.getLoginTimeout()).isEqualTo(ds.delegate().getLoginTimeout());
    }

    @Test
    void hikariInFrontOfWrapper() throws SQLException {
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(ds);
        hc.setMaximumPoolSize(2);
        hc.setPoolName("front");
        try (HikariDataSource pool = new HikariDataSource(hc)) {
            for (int i = 0; i < 5; i++) {
                try (Connection c = pool.getConnection();
                     PreparedStatement ps = c.prepareStatement("SELECT ?")) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(i);
                    }
                    assertThat(c.unwrap(PGConnection.class).getBackendPID()).isPositive();
                    assertThat(c.isWrapperFor(ObservedConnection.class)).isTrue();
                }
            }
            assertThat(meters.queries("select", "success")).isGreaterThanOrEqualTo(5);
        }
        assertThat(meters.gauge("dpg.connections.in_use", "pool", ds.poolName())).isZero();
    }

    @Test
    void wrapperInFrontOfHikari() throws SQLException {
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(TestDatabase.get().dataSource());
        hc.setMaximumPoolSize(2);
        hc.setPoolName("behind");
        HikariDataSource pool = new HikariDataSource(hc);
        try (ObservedDataSource observed = ObservedDataSource.wrap(pool, DpgObservability.create(registry),
                JdbcObservabilityConfig.builder().poolName("hikari").build())) {
            assertThat(observed.unwrap(HikariDataSource.class)).isSameAs(pool);
            for (int i = 0; i < 5; i++) {
                try (Connection c = observed.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                    assertThat(c.unwrap(PGConnection.class).getCopyAPI()).isNotNull();
                    assertThat(meters.gauge("dpg.connections.in_use", "pool", "hikari")).isEqualTo(1);
                }
            }
            assertThat(meters.timerCount("dpg.connections.acquire", "pool", "hikari", "status", "success")).isEqualTo(5);
            assertThat(meters.timerCount("dpg.connections.usage", "pool", "hikari")).isEqualTo(5);
            assertThat(meters.gauge("dpg.connections.in_use", "pool", "hikari")).isZero();
            assertThat(meters.queries("select", "success")).isEqualTo(5);
        }
        assertThat(pool.isClosed()).as("closing the wrapper closes the pool it wraps").isTrue();
    }

    @Test
    void failedAcquireIsTimedAsAnErrorAndRethrownUnchanged() {
        org.postgresql.ds.PGSimpleDataSource bad = new org.postgresql.ds.PGSimpleDataSource();
        bad.setURL(TestDatabase.get().jdbcUrl());
        bad.setUser("no_such_role_" + System.nanoTime());
        bad.setPassword("not-a-real-secret");
        DataSource observed = ObservedDataSource.wrap(bad, DpgObservability.create(registry),
                JdbcObservabilityConfig.builder().vectorIndexRefreshInterval(java.time.Duration.ZERO).build());
        Throwable raw = catchThrowable(bad::getConnection);
        Throwable wrapped = catchThrowable(observed::getConnection);
        assertThat(wrapped).isExactlyInstanceOf(raw.getClass()).hasMessage(raw.getMessage());
        assertThat(meters.timerCount("dpg.connections.acquire", "status", "error")).isEqualTo(1);
        assertThat(meters.timerCount("dpg.connections.acquire", "status", "success")).isZero();
    }
}
