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

import io.dpg.observability.QueryType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

/**
 * A {@link Connection} handed out by {@link ObservedDataSource}: only what it intercepts is written here; the
 * rest is the generated plain delegation of {@link DelegatingConnection} (no reflection), so after
 * {@code close()} calls fail exactly as they do on the driver's closed connection, and {@code unwrap} /
 * {@code isWrapperFor} reach the driver's classes (e.g. {@code PGConnection}) through {@link Wrappers}.
 *
 * <p>Intercepted: statement creation (prepared and callable statements are classified here, once),
 * {@code commit} / {@code rollback()} (counted; a savepoint rollback does not end the transaction and is not),
 * {@code setAutoCommit(true)} (ends a transaction), {@code close} (closes the statements it created, records
 * the hold time, cancels the leak check), {@code abort} (records the hold time), {@code isClosed} and
 * {@code getMetaData} (so {@code getConnection()} returns this wrapper).
 *
 * <p>Design notes: open statements sit in a lock-free {@link OpenStatements} (one compare-and-set to add, one
 * to remove); {@code closed} is read as a volatile because the leak check reads it on the background thread, and
 * written with a release store: on x86 a volatile store is a full fence (about 5 ns of every checkout, JMH), and
 * no reader needs more than to see it eventually and after the writes before it. (The leak check reading
 * {@code closed} while the connection closes may log a leak whose return is then not logged, with a volatile
 * store as well: the check reads {@code closed} before it sets {@code leakReported}.) The acquisition stack is
 * captured only when leak detection is on.
 */
public class ObservedConnection extends DelegatingConnection {

    final JdbcContext ctx;
    private final long acquiredAt;
    private final Throwable acquiredSite;
    private final ScheduledFuture<?> leakCheck;
    /** First segment of this connection's open statements ({@link OpenStatements}), null until one is created. */
    volatile OpenStatements.Segment firstStatements;
    private volatile boolean closed;
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(ObservedConnection.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile boolean leakReported;

    ObservedConnection(JdbcContext ctx, Connection delegate, long acquiredAt) {
        super(delegate);
        this.ctx = ctx;
        this.acquiredAt = acquiredAt;
        if (ctx.connections.leakDetection()) {
            this.acquiredSite = new AcquisitionSite(Thread.currentThread().getName());
            this.leakCheck = ctx.background.schedule(this::checkLeak, ctx.connections.leakThresholdNanos());
        } else {
            this.acquiredSite = null;
            this.leakCheck = null;
        }
    }

    /** The stack of the code that acquired a connection, for the leak log; not thrown. */
    static final class AcquisitionSite extends Exception {
        AcquisitionSite(String thread) {
            super("connection acquired by thread '" + thread + "' here");
        }
    }

    /** Run by the leak check on the background thread once the threshold passed. */
    void checkLeak() {
        if (!closed) {
            leakReported = true;
            ctx.connections.leaked(ctx.clock.monotonicTime() - acquiredAt, acquiredSite);
        }
    }

    // ---------------------------------------------------------------- statements

    private <S extends ObservedStatement> S track(S statement) {
        try {
            OpenStatements.add(this, statement);
        } catch (RuntimeException ignored) {
            // untracked, the statement is simply not closed with the connection, as with the bare driver
        }
        return statement;
    }

    /** Open statements created through this connection (for tests). */
    int openStatements() {
        return OpenStatements.size(this);
    }

    /** Slot segments the open-statement set has allocated (for tests). */
    int statementSegments() {
        return OpenStatements.segments(this);
    }

    private PreparedStatement prepared(PreparedStatement statement, String sql) {
        if (statement == null) {
            return null;
        }
        ExecutionPlan plan = ctx.plans.forPrepared(sql, null);
        ObservedPreparedStatement ps = new ObservedPreparedStatement(this, statement, plan, null);
        if (ctx.quality != null && plan.search != null) {
            ps.sampleFrom(sql);
        }
        return track(ps);
    }

    private CallableStatement callable(CallableStatement statement, String sql) {
        if (statement == null) {
            return null;
        }
        ExecutionPlan plan = ctx.plans.forPrepared(sql, QueryType.CALL);
        return track(new ObservedCallableStatement(this, statement, plan));
    }

    private Statement plain(Statement statement) {
        return statement == null ? null : track(new ObservedStatement(this, statement));
    }

    @Override
    public Statement createStatement() throws SQLException {
        return plain(delegate.createStatement());
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return plain(delegate.createStatement(resultSetType, resultSetConcurrency));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return plain(delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return prepared(delegate.prepareStatement(sql), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return prepared(delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        return prepared(delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return prepared(delegate.prepareStatement(sql, autoGeneratedKeys), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return prepared(delegate.prepareStatement(sql, columnIndexes), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return prepared(delegate.prepareStatement(sql, columnNames), sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return callable(delegate.prepareCall(sql), sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        return callable(delegate.prepareCall(sql, resultSetType, resultSetConcurrency), sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
                                         int resultSetHoldability) throws SQLException {
        return callable(delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
    }

    // ---------------------------------------------------------------- transactions

    @Override
    public void commit() throws SQLException {
        delegate.commit();
        ctx.connections.committed();
        transactionEnded(true);
    }

    /** Vector search settings this connection set ({@link SearchSettings}); null until it sets one. */
    SearchSettings.Session searchSettings;

    private void transactionEnded(boolean committed) {
        SearchSettings.Session s = searchSettings;
        if (s != null) {
            s.transactionEnded(committed);
        }
    }

    @Override
    public void rollback() throws SQLException {
        delegate.rollback();
        ctx.connections.rolledBack();
        transactionEnded(false);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        delegate.setAutoCommit(autoCommit);
        if (autoCommit) {
            transactionEnded(true); // switching autocommit on commits an open transaction
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Closes the statements created through this connection (which the driver leaves open), then the driver's
     * connection, and records the hold time. A second call does nothing, as JDBC requires.
     */
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        CLOSED.setRelease(this, true);
        try {
            closeStatements();
        } finally {
            try {
                delegate.close();
            } finally {
                released();
            }
        }
    }

    private void closeStatements() {
        OpenStatements.drain(this, ObservedConnection::closeQuietly);
    }

    private static void closeQuietly(ObservedStatement s) {
        try {
            s.closeByConnection();
        } catch (SQLException | RuntimeException ignored) {
            // closing the connection is what matters; the driver would not have closed them at all
        }
    }

    private void released() {
        try {
            long held = ctx.clock.monotonicTime() - acquiredAt;
            if (leakCheck != null) {
                leakCheck.cancel(false);
            }
            ctx.connections.released(held);
            if (leakReported) {
                ctx.connections.leakReturned(held);
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        delegate.abort(executor);
        if (!closed) {
            CLOSED.setRelease(this, true);
            OpenStatements.drain(this, abandoned -> { }); // the driver aborts them with the connection
            released();
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || delegate.isClosed();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        DatabaseMetaData metaData = delegate.getMetaData();
        return metaData == null ? null : new ObservedDatabaseMetaData(this, metaData);
    }

    @Override
    public String toString() {
        return "ObservedConnection{" + delegate + '}';
    }
}
