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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An online base backup of a running (embedded) PostgreSQL into a directory that starts as its streaming standby:
 * a physical replication slot, {@code pg_backup_start} / file copy / {@code pg_backup_stop}, {@code standby.signal}
 * and {@code primary_conninfo}. Used by the collector's replication test and the monitoring end-to-end test.
 */
public final class BaseBackup {

    private BaseBackup() {
    }

    /**
     * Copies the primary at {@code primaryDir} (reached through {@code primary}, a superuser connection, and on
     * {@code primaryPort}) into {@code standbyDir}; the standby streams through slot {@code slot} and reports itself
     * as {@code applicationName} in {@code pg_stat_replication}.
     */
    public static void intoStandby(Connection primary, Path primaryDir, int primaryPort, Path standbyDir, String slot,
                                   String applicationName) throws SQLException, IOException {
        try (Statement s = primary.createStatement()) {
            s.execute("SELECT pg_create_physical_replication_slot('" + slot + "', true)");
            s.execute("SELECT pg_backup_start('dpg-base-backup', true)");
            copyDataDirectory(primaryDir, standbyDir);
            try (ResultSet rs = s.executeQuery("SELECT labelfile FROM pg_backup_stop(false)")) {
                rs.next();
                Files.writeString(standbyDir.resolve("backup_label"), rs.getString(1));
            }
        }
        Files.createFile(standbyDir.resolve("standby.signal"));
        Files.writeString(standbyDir.resolve("postgresql.auto.conf"),
                "\nprimary_conninfo = 'host=localhost port=" + primaryPort + " user=postgres application_name="
                        + applicationName + "'\nprimary_slot_name = '" + slot + "'\n",
                StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(standbyDir, PosixFilePermissions.fromString("rwx------"));
    }

    /** Copies a live data directory the way a base backup may: WAL, slots and the server's own run files left out. */
    private static void copyDataDirectory(Path from, Path to) throws IOException {
        Set<String> emptied = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp");
        Set<String> skipped = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(p -> {
                Path rel = from.relativize(p);
                if (rel.getNameCount() == 0) {
                    return;
                }
                String top = rel.getName(0).toString();
                if (skipped.contains(top) || (emptied.contains(top) && rel.getNameCount() > 1)) {
                    return;
                }
                try {
                    Path target = to.resolve(rel.toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (NoSuchFileException gone) {
                    // removed while we copied (a temporary file): the backup does not need it
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.createDirectories(to.resolve("pg_wal").resolve("archive_status"));
    }
}
