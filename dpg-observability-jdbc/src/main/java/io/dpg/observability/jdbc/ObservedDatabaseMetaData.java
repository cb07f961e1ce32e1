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

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A {@link DatabaseMetaData} whose {@link #getConnection()} returns the observed connection and whose result
 * sets answer {@code getStatement().getConnection()} with it too. Metadata queries are not timed. Everything
 * else is the generated plain delegation of {@link DelegatingDatabaseMetaData}, which passes every result set it
 * returns through {@link #wrapResultSet}.
 */
public class ObservedDatabaseMetaData extends DelegatingDatabaseMetaData {

    final ObservedConnection connection;

    ObservedDatabaseMetaData(ObservedConnection connection, DatabaseMetaData delegate) {
        super(delegate);
        this.connection = connection;
    }

    @Override
    final ResultSet wrapResultSet(ResultSet rs) {
        return rs == null ? null : new ObservedResultSet(null, connection, rs, null);
    }

    @Override
    public Connection getConnection() throws SQLException {
        delegate.getConnection();
        return connection;
    }
}
