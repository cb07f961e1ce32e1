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
package io.dpg.observability.jdbc.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Installs the SQL-only RuVector stand-in ({@code /ruvector-standin/} resources) as a real extension on a
 * PostgreSQL server whose extension directory this process can write (an embedded server). It imitates
 * RuVector's catalog surface for tests and the demo; it is not RuVector.
 */
public final class RuVectorStandIn {

    private RuVectorStandIn() {
    }

    /**
     * Creates extension {@code ruvector} through {@code c} (a superuser connection), copying the control and
     * script files into the server's extension directory first. Returns false when it was already installed.
     */
    public static boolean install(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'ruvector'")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return false;
                }
            }
            String shareDir;
            try (ResultSet rs = s.executeQuery("SELECT setting FROM pg_config WHERE name = 'SHAREDIR'")) {
                rs.next();
                shareDir = rs.getString(1);
            }
            Path extensionDir = Path.of(shareDir, "extension");
            copy("ruvector.control", extensionDir);
            copy("ruvector--0.1.0.sql", extensionDir);
            s.execute("CREATE EXTENSION IF NOT EXISTS ruvector");
            return true;
        }
    }

    private static void copy(String name, Path dir) {
        try (InputStream in = RuVectorStandIn.class.getResourceAsStream("/ruvector-standin/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource ruvector-standin/" + name);
            }
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
