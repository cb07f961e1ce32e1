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
package io.dpg.observability.jdbc.collector;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One independent query of a poll and the meters it feeds. A probe that fails does not stop the others; its
 * {@link #name()} is the {@code query} tag of {@code dpg.collector.errors}.
 */
abstract class Probe {

    private final String name;
    final SeriesGroup series;

    Probe(String name, SeriesGroup series) {
        this.name = name;
        this.series = series;
    }

    final String name() {
        return name;
    }

    /** Whether this probe runs against a server with {@code caps}; if not, its meters are removed. */
    abstract boolean appliesTo(Capabilities caps);

    /** Runs the query and offers its values to {@link #series}, inside a round the collector opens and closes. */
    abstract void collect(Connection connection, Capabilities caps) throws SQLException;

    /** Called when the probe stops applying or the collector closes; forgets any state beyond the meters. */
    void reset() {
    }

    /** Column {@code column} as a double, NaN for SQL NULL. */
    static double number(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }
}
