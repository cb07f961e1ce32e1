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

import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.sql.SettingChange;
import io.dpg.observability.jdbc.internal.SqlClassifier;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.micrometer.core.instrument.Tags;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The collector's vector-search probes: the server's search settings and their database / role defaults, and
 * vector index builds while they run.
 */
final class VectorProbes {

    private VectorProbes() {
    }

    private static String settingList() {
        StringBuilder b = new StringBuilder();
        for (String name : SettingChange.TRACKED) {
            b.append(b.length() == 0 ? "" : ", ").append('\'').append(name).append('\'');
        }
        return b.toString();
    }

    /** The settings as the collector's session sees them: postgresql.conf, ALTER SYSTEM, its database / role. */
    static final String SERVER_SETTINGS = "SELECT n.name, current_setting(n.name, true)"
            + " FROM unnest(ARRAY[" + settingList() + "]) AS n(name)";

    /** {@code ALTER DATABASE / ROLE ... SET} of vector settings that apply in the current database. */
    static final String DB_ROLE_SETTINGS = "SELECT x.setdatabase <> 0, r.rolname, split_part(c, '=', 1),"
            + " substr(c, strpos(c, '=') + 1)"
            + " FROM pg_catalog.pg_db_role_setting x"
            + " LEFT JOIN pg_catalog.pg_roles r ON r.oid = x.setrole"
            + " CROSS JOIN LATERAL unnest(x.setconfig) AS c"
            + " WHERE x.setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()))"
            + " AND split_part(c, '=', 1) IN (" + settingList() + ")";

    /**
     * Index builds running in this database: names, phase, progress. The index's OID is 0 during a plain
     * CREATE INDEX, so name and access method come from the running statement (classified in-process, never
     * published) when the collector may read it, else from the catalog.
     */
    static final String INDEX_BUILDS = "SELECT n.nspname, t.relname, i.relname, am.amname, p.phase,"
            + " p.blocks_total, p.blocks_done, p.tuples_total, p.tuples_done, a.query"
            + " FROM pg_catalog.pg_stat_progress_create_index p"
            + " JOIN pg_catalog.pg_class t ON t.oid = p.relid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
            + " LEFT JOIN pg_catalog.pg_class i ON i.oid = p.index_relid AND p.index_relid <> 0"
            + " LEFT JOIN pg_catalog.pg_am am ON am.oid = i.relam"
            + " LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = p.pid"
            + " WHERE p.datname = current_database()";

    /** {@code ruvector.settings.server{setting}} and {@code ruvector.settings.default{setting, scope, role}}. */
    static final class Settings extends Probe {
        private final DpgObservability obs;

        Settings(SeriesGroup series, DpgObservability obs) {
            super("vector_settings", series);
            this.obs = obs;
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return caps.hasVectorExtension();
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (Statement s = connection.createStatement()) {
                try (ResultSet rs = s.executeQuery(SERVER_SETTINGS)) {
                    while (rs.next()) {
                        double v = value(rs.getString(1), rs.getString(2));
                        if (!Double.isNaN(v)) {
                            series.gauge("ruvector.settings.server", "A vector search setting as a new session of the"
                                    + " collector sees it (postgresql.conf, ALTER SYSTEM, its database and role)", null,
                                    Tags.of("setting", rs.getString(1)), v);
                        }
                    }
                }
                try (ResultSet rs = s.executeQuery(DB_ROLE_SETTINGS)) {
                    while (rs.next()) {
                        boolean database = rs.getBoolean(1);
                        String role = rs.getString(2);
                        String scope = role == null ? "database" : database ? "database_role" : "role";
                        double v = value(rs.getString(3), rs.getString(4));
                        if (!Double.isNaN(v)) {
                            series.gauge("ruvector.settings.default", "A vector search setting's default set by"
                                    + " ALTER DATABASE / ALTER ROLE ... SET for sessions of this database", null,
                                    Tags.of("setting", rs.getString(3), "scope", scope,
                                            "role", role == null ? "*" : obs.tagValue("role", role)), v);
                        }
                    }
                }
            }
        }

        private static double value(String name, String text) {
            if (text == null || text.isEmpty()) {
                return Double.NaN;
            }
            if (SettingChange.isIterativeScan(name)) {
                long v = SettingChange.iterativeScan(text);
                return v < 0 ? Double.NaN : v;
            }
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
    }

    /**
     * Vector index builds while they run: {@code ruvector.index.build.progress{schema, table, index, method}}
     * (fraction done: tuples, else blocks) and {@code ruvector.index.build.phase{..., phase}} = 1. A build whose
     * access method is not a vector one is left out; one whose statement and index the collector cannot see
     * (another role's session without pg_read_all_stats) is reported with {@code index="unknown"},
     * {@code method="unknown"}. The series disappear when the build ends.
     */
    static final class IndexBuilds extends Probe {
        private final DpgObservability obs;
        private final SqlClassifier classifier = new SqlClassifier(64);

        IndexBuilds(SeriesGroup series, DpgObservability obs) {
            super("vector_index_builds", series);
            this.obs = obs;
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return caps.hasVectorExtension();
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(INDEX_BUILDS)) {
                while (rs.next()) {
                    String index = rs.getString(3);
                    String am = rs.getString(4);
                    StatementInfo info = classifier.classify(rs.getString(10));
                    if (am == null) {
                        am = info.indexMethod();
                    }
                    if (index == null) {
                        index = info.indexName();
                    }
                    if (am != null && !CollectorSql.isVectorAccessMethod(am)) {
                        continue;
                    }
                    Tags tags = Tags.of("schema", obs.tagValue("schema", rs.getString(1)),
                            "table", obs.tagValue("table", rs.getString(2)),
                            "index", index == null ? "unknown" : obs.tagValue("index", index),
                            "method", am == null ? "unknown" : obs.tagValue("method", CollectorSql.methodTag(am)));
                    double tuplesTotal = number(rs, 8);
                    double blocksTotal = number(rs, 6);
                    double progress = tuplesTotal > 0 ? number(rs, 9) / tuplesTotal
                            : blocksTotal > 0 ? number(rs, 7) / blocksTotal : Double.NaN;
                    series.gauge("ruvector.index.build.progress", "Fraction done of a running vector index build"
                            + " (tuples, else blocks, from pg_stat_progress_create_index)", "ratio", tags,
                            Math.min(1.0, progress), SeriesGroup.Merge.MAX);
                    String phase = rs.getString(5);
                    series.gauge("ruvector.index.build.phase", "Phase of a running vector index build (always 1;"
                            + " the phase is the tag)", null,
                            tags.and("phase", phase == null ? "unknown" : obs.tagValue("phase", phase)), 1.0,
                            SeriesGroup.Merge.MAX);
                }
            }
        }
    }
}
