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
package io.dpg.observability.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The demo's copy of the SQL-only RuVector stand-in: the extension files the JDBC module's tests use
 * ({@code dpg-observability-jdbc/src/test/resources/ruvector-standin}, packaged into this jar by the build), written
 * into the embedded server's extension directory and created. A SQL imitation of RuVector's catalog surface, not
 * RuVector.
 */
final class StandInExtension {

    private static final String[] FILES = {"ruvector.control", "ruvector--0.1.0.sql"};

    private StandInExtension() {
    }

    /** Creates extension {@code ruvector} through the superuser connection {@code c} of a local server. */
    static void install(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            Path target;
            try (ResultSet rs = s.executeQuery("SELECT setting FROM pg_config WHERE name = 'SHAREDIR'")) {
                rs.next();
                target = Path.of(rs.getString(1), "extension");
            }
            for (String file : FILES) {
                try (InputStream in = StandInExtension.class.getResourceAsStream("/ruvector-standin/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the demo jar lacks ruvector-standin/" + file);
                    }
                    Files.write(target.resolve(file), in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            s.execute("CREATE EXTENSION IF NOT EXISTS ruvector");
        }
    }
}
