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

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/** One row: column 1 ({@code id}) is the statement's last long parameter, column 2 ({@code name}) a constant. */
final class StubResultSet extends UnsupportedResultSet {

    private static final String NAME = "item";

    private final StubStatement statement;
    private final long id;
    private int row;
    private boolean closed;

    StubResultSet(StubStatement statement, long id) {
        this.statement = statement;
        this.id = id;
    }

    @Override
    public boolean next() throws SQLException {
        if (closed) {
            throw new SQLException("stub driver: result set is closed");
        }
        return ++row == 1;
    }

    private void checkRow() throws SQLException {
        if (row != 1 || closed) {
            throw new SQLException("stub driver: not on a row");
        }
    }

    @Override
    public long getLong(int column) throws SQLException {
        checkRow();
        return id;
    }

    @Override
    public long getLong(String column) throws SQLException {
        checkRow();
        return id;
    }

    @Override
    public int getInt(int column) throws SQLException {
        checkRow();
        return (int) id;
    }

    @Override
    public int getInt(String column) throws SQLException {
        checkRow();
        return (int) id;
    }

    @Override
    public String getString(int column) throws SQLException {
        checkRow();
        return column == 2 ? NAME : Long.toString(id);
    }

    @Override
    public String getString(String column) throws SQLException {
        checkRow();
        return "name".equals(column) ? NAME : Long.toString(id);
    }

    @Override
    public boolean wasNull() {
        return false;
    }

    @Override
    public Statement getStatement() {
        return statement;
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
    public int getType() {
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public int getConcurrency() {
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getFetchSize() {
        return 0;
    }

    @Override
    public void setFetchSize(int rows) {
        // ignored
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
}
