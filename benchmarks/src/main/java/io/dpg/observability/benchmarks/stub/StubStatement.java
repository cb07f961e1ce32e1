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
package io.dpg.observability.benchmarks.stub;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;

/**
 * Both the plain {@code Statement} and the {@code PreparedStatement} of the stub driver. Parameters are kept in
 * one field (the last one set), batches only counted; {@code executeQuery} returns a new one-row result set.
 */
final class StubStatement extends UnsupportedPreparedStatement {

    private final StubConnection connection;
    private final String sql;
    private boolean closed;
    private long parameter = 42;
    @SuppressWarnings("UnusedVariable") // kept as a driver keeps a bound value: the store is the modelled cost
    private Object objectParameter;
    private int batched;
    private ResultSet current;
    private int fetchSize;
    private int queryTimeout;
    private int maxRows;

    StubStatement(StubConnection connection, String sql) {
        this.connection = connection;
        this.sql = sql;
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("stub driver: statement is closed");
        }
    }

    // ------------------------------------------------------------------ PreparedStatement

    @Override
    public ResultSet executeQuery() throws SQLException {
        checkOpen();
        current = new StubResultSet(this, parameter);
        return current;
    }

    @Override
    public int executeUpdate() throws SQLException {
        checkOpen();
        return 1;
    }

    @Override
    public boolean execute() throws SQLException {
        checkOpen();
        current = new StubResultSet(this, parameter);
        return true;
    }

    @Override
    public void setLong(int index, long x) {
        parameter = x;
    }

    @Override
    public void setInt(int index, int x) {
        parameter = x;
    }

    @Override
    public void setString(int index, String x) {
        objectParameter = x;
    }

    @Override
    public void setObject(int index, Object x) {
        objectParameter = x;
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType) {
        objectParameter = x;
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) {
        objectParameter = x;
    }

    @Override
    public void setNull(int index, int sqlType) {
        objectParameter = null;
    }

    @Override
    public void clearParameters() {
        parameter = 42;
        objectParameter = null;
    }

    @Override
    public void addBatch() throws SQLException {
        checkOpen();
        batched++;
    }

    // ------------------------------------------------------------------ Statement

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        checkOpen();
        current = new StubResultSet(this, parameter);
        return current;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        checkOpen();
        return 1;
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        checkOpen();
        current = new StubResultSet(this, parameter);
        return true;
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        checkOpen();
        batched++;
    }

    @Override
    public void clearBatch() {
        batched = 0;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        checkOpen();
        int[] counts = new int[batched];
        java.util.Arrays.fill(counts, 1);
        batched = 0;
        return counts;
    }

    @Override
    public ResultSet getResultSet() {
        return current;
    }

    @Override
    public int getUpdateCount() {
        return -1;
    }

    @Override
    public boolean getMoreResults() {
        current = null;
        return false;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public SQLWarning getWarnings() {
        return null;
    }

    @Override
    public void clearWarnings() {
        // none
    }

    @Override
    public void setFetchSize(int rows) {
        this.fetchSize = rows;
    }

    @Override
    public int getFetchSize() {
        return fetchSize;
    }

    @Override
    public void setQueryTimeout(int seconds) {
        this.queryTimeout = seconds;
    }

    @Override
    public int getQueryTimeout() {
        return queryTimeout;
    }

    @Override
    public void setMaxRows(int max) {
        this.maxRows = max;
    }

    @Override
    public int getMaxRows() {
        return maxRows;
    }

    @Override
    public int getResultSetType() {
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public int getResultSetConcurrency() {
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("stub driver: not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    String sql() {
        return sql;
    }
}
