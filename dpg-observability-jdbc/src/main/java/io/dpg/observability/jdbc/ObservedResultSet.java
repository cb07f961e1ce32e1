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

import io.dpg.observability.VectorSearchObserver;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A {@link ResultSet} whose {@link #getStatement()} returns the statement wrapper. For a vector search it
 * counts the rows the caller reads ({@link #next()} increments a plain int: a result set belongs to one thread)
 * and records the count to {@code ruvector.search.results} once: when {@code next()} returns false, or at
 * close of the result set or its statement, whichever comes first. Everything else is the generated plain
 * delegation of {@link DelegatingResultSet}.
 */
public class ObservedResultSet extends DelegatingResultSet {

    private final ObservedConnection connection;
    private ObservedStatement statement;
    /** Non-null while rows are still to be recorded. */
    private VectorSearchObserver rowSink;
    private int rows;

    ObservedResultSet(ObservedStatement statement, ObservedConnection connection, ResultSet delegate,
                      VectorSearchObserver rowSink) {
        super(delegate);
        this.statement = statement;
        this.connection = connection;
        this.rowSink = rowSink;
    }

    @Override
    public boolean next() throws SQLException {
        boolean more = delegate.next();
        if (rowSink != null) {
            if (more) {
                rows++;
            } else {
                finishRows();
            }
        }
        return more;
    }

    /** Records the rows read so far, once. */
    final void finishRows() {
        VectorSearchObserver sink = rowSink;
        if (sink != null) {
            rowSink = null;
            sink.recordResults(rows); // never throws
        }
    }

    @Override
    public void close() throws SQLException {
        finishRows();
        delegate.close();
    }

    /**
     * The statement wrapper that produced this result set; for a metadata result set, a wrapper around the
     * driver's statement, so that {@code getStatement().getConnection()} is still the observed connection.
     */
    @Override
    public Statement getStatement() throws SQLException {
        Statement s = delegate.getStatement();
        if (statement == null) {
            if (s == null) {
                return null;
            }
            statement = new ObservedStatement(connection, s);
        }
        return statement;
    }

    @Override
    public String toString() {
        return "ObservedResultSet{" + delegate + '}';
    }
}
