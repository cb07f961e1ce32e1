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

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.*;
import java.util.Calendar;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

/**
 * A {@link Connection} handed out by {@link ObservedDataSource}: hand-written, delegating, no reflection.
 *
 * <p>Intercepted: statement creation (prepared and callable statements are classified here, once),
 * {@code commit} / {@code rollback} (counted), {@code close} (closes the statements it created, records the
 * hold time, cancels the leak check), {@code getMetaData} (so {@code getConnection()} returns this wrapper) and
 * {@code unwrap} / {@code isWrapperFor} (the driver's classes, e.g. {@code PGConnection}). Everything else is a
 * plain delegation, so after {@code close()} calls fail exactly as they do on the driver's closed connection.
 *
 * <p>Design notes: open statements sit in a lock-free {@link OpenStatements} (one compare-and-set to add, one
 * to remove); {@code closed} is volatile because the leak check reads it on the background
 * thread. The acquisition stack is captured only when leak detection is on.
 */
public class ObservedConnection implements Connection {

    final JdbcContext ctx;
    final Connection delegate;
    private final long acquiredAt;
    private final Throwable acquiredSite;
    private final ScheduledFuture<?> leakCheck;
    private final OpenStatements statements = new OpenStatements();
    private volatile boolean closed;
    private volatile boolean leakReported;

    ObservedConnection(JdbcContext ctx, Connection delegate, long acquiredAt) {
        this.ctx = ctx;
        this.delegate = delegate;
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
            statements.add(statement);
        } catch (RuntimeException ignored) {
            // untracked, the statement is simply not closed with the connection, as with the bare driver
        }
        return statement;
    }

    /** Open statements created through this connection (for tests). */
    int openStatements() {
        return statements.size();
    }

    /** Slot segments the open-statement set has allocated (for tests). */
    int statementSegments() {
        return statements.segments();
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
    public void rollback(Savepoint savepoint) throws SQLException {
        delegate.rollback(savepoint); // a savepoint rollback does not end the transaction: not counted
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
        closed = true;
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
        statements.drain(ObservedConnection::closeQuietly);
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
            closed = true;
            statements.drain(abandoned -> { }); // the driver aborts them with the connection
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
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(delegate)) {
            return iface.cast(delegate);
        }
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "ObservedConnection{" + delegate + '}';
    }

    // ---------------------------------------------------------------- delegated as is

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return delegate.nativeSQL(sql);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        delegate.setAutoCommit(autoCommit);
        if (autoCommit) {
            transactionEnded(true); // switching autocommit on commits an open transaction
        }
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return delegate.getAutoCommit();
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        delegate.setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return delegate.isReadOnly();
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        delegate.setCatalog(catalog);
    }

    @Override
    public String getCatalog() throws SQLException {
        return delegate.getCatalog();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        delegate.setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return delegate.getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return delegate.getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        delegate.setTypeMap(map);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        delegate.setHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        return delegate.getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return delegate.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return delegate.setSavepoint(name);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        delegate.releaseSavepoint(savepoint);
    }

    @Override
    public Clob createClob() throws SQLException {
        return delegate.createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return delegate.createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return delegate.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return delegate.createSQLXML();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return delegate.isValid(timeout);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        delegate.setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        delegate.setClientInfo(properties);
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return delegate.getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return delegate.getClientInfo();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return delegate.createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return delegate.createStruct(typeName, attributes);
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        delegate.setSchema(schema);
    }

    @Override
    public String getSchema() throws SQLException {
        return delegate.getSchema();
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        delegate.setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return delegate.getNetworkTimeout();
    }

    @Override
    public void beginRequest() throws SQLException {
        delegate.beginRequest();
    }

    @Override
    public void endRequest() throws SQLException {
        delegate.endRequest();
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey shardingKey, ShardingKey superShardingKey, int timeout) throws SQLException {
        return delegate.setShardingKeyIfValid(shardingKey, superShardingKey, timeout);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
        return delegate.setShardingKeyIfValid(shardingKey, timeout);
    }

    @Override
    public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey) throws SQLException {
        delegate.setShardingKey(shardingKey, superShardingKey);
    }

    @Override
    public void setShardingKey(ShardingKey shardingKey) throws SQLException {
        delegate.setShardingKey(shardingKey);
    }
}
