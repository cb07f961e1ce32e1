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

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * An in-memory JDBC "driver" for the wrapper benchmarks: no I/O, no parsing, every query returns one row. What a
 * benchmark measures over this stub is the instrumentation wrapped around it, not a database.
 *
 * <p>It still behaves like a plain driver where instrumentation can tell: each {@code getConnection} returns a
 * new connection object, each {@code prepareStatement} a new statement, each {@code executeQuery} a new result
 * set, and closed objects report {@code isClosed()}. Methods the benchmarks never reach throw
 * {@link SQLFeatureNotSupportedException} (from the generated {@code Unsupported*} bases), so a peer that calls
 * something unexpected fails loudly instead of being measured on a silent no-op.
 */
public final class StubDataSource implements DataSource {

    public static final String URL = "jdbc:stub://localhost:5432/bench";

    private PrintWriter logWriter;
    private int loginTimeout;

    @Override
    public Connection getConnection() {
        return new StubConnection(this);
    }

    @Override
    public Connection getConnection(String username, String password) {
        return new StubConnection(this);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("stub driver: getParentLogger");
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
