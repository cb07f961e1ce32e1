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
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The collector's probes, in the order a poll runs them. */
final class Probes {

    static final double MIB = 1024.0 * 1024.0;

    private Probes() {
    }

    static List<Probe> all(DpgObservability obs, CollectorConfig config, AtomicReference<String> healthStatus) {
        MeterRegistry registry = obs.registry();
        Tags common = obs.commonTags();
        return List.of(
                new Server(new SeriesGroup(registry, common)),
                new Activity(new SeriesGroup(registry, common), config),
                new Database(new SeriesGroup(registry, common)),
                new DatabaseSize(new SeriesGroup(registry, common)),
                new Replication(new SeriesGroup(registry, common), obs),
                new Checkpoints(new SeriesGroup(registry, common)),
                new Wal(new SeriesGroup(registry, common)),
                new VectorTables(new SeriesGroup(registry, common), obs, config),
                new VectorIndexes(new SeriesGroup(registry, common), obs, config),
                new HnswSearches(new SeriesGroup(registry, common), obs, config),
                new RuVectorInfo(new SeriesGroup(registry, common), obs),
                new RuVectorMemory(new SeriesGroup(registry, common)),
                new RuVectorHealthy(new SeriesGroup(registry, common)),
                new RuVectorHealthStatus(new SeriesGroup(registry, common), healthStatus),
                new VectorProbes.Settings(new SeriesGroup(registry, common), obs),
                new VectorProbes.IndexBuilds(new SeriesGroup(registry, common), obs));
    }

    /** Values the capability query already read: {@code max_connections} and the vector extensions' versions. */
    static final class Server extends Probe {
        Server(SeriesGroup series) {
            super("server", series);
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return true;
        }

        @Override
        void collect(Connection connection, Capabilities caps) {
            series.gauge("dpg.db.connections.max", "Maximum number of concurrent connections (max_connections)",
                    null, Tags.empty(), caps.maxConnections());
            if (caps.hasRuVector()) {
                extension("ruvector", caps.ruvectorVersion());
            }
            if (caps.hasPgvector()) {
                extension("vector", caps.pgvectorVersion());
            }
        }

        private void extension(String name, String version) {
            series.gauge("dpg.extension.info", "A vector extension installed in the database (always 1)", null,
                    Tags.of("extension", name, "version", version), 1.0);
        }
    }

    /** Sessions of the current database by state, from {@code pg_stat_activity}, without the collector's own. */
    static final class Activity extends Probe {
        private final double thresholdSeconds;

        Activity(SeriesGroup series, CollectorConfig config) {
            super("activity", series);
            this.thresholdSeconds = config.longRunningThreshold().toNanos() / 1e9;
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return true;
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement(CollectorSql.ACTIVITY)) {
                ps.setDouble(1, thresholdSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    gauge("dpg.db.connections.active", "Sessions running a statement", (double) rs.getLong(1));
                    gauge("dpg.db.connections.idle", "Sessions idle outside a transaction", (double) rs.getLong(2));
                    gauge("dpg.db.connections.idle_in_transaction", "Sessions idle inside an open transaction",
                            (double) rs.getLong(3));
                    gauge("dpg.db.connections.waiting", "Sessions waiting for a lock", (double) rs.getLong(4));
                    gauge("dpg.queries.long_running", "Statements running longer than the long-running threshold",
                            (double) rs.getLong(5));
                    series.gauge("dpg.queries.longest", "Run time of the longest running statement (0 if none)",
                            "seconds", Tags.empty(), rs.getDouble(6));
                }
            }
        }

        private void gauge(String name, String description, double value) {
            series.gauge(name, description, null, Tags.empty(), value);
        }
    }

    /** Cumulative counters of the current database from {@code pg_stat_database}. */
    static final class Database extends Probe {
        Database(SeriesGroup series) {
            super("database", series);
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return true;
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(CollectorSql.DATABASE)) {
                if (!rs.next()) {
                    return;
                }
                String transactions = "Transactions finished in the database, by outcome";
                series.counter("dpg.db.transactions", transactions, null, Tags.of("outcome", "commit"),
                        number(rs, 1));
                series.counter("dpg.db.transactions", transactions, null, Tags.of("outcome", "rollback"),
                        number(rs, 2));
                double read = number(rs, 3);
                double hit = number(rs, 4);
                series.gauge("dpg.cache.hit.ratio",
                        "Share of block reads served from shared buffers since the statistics reset (0..1)", null,
                        Tags.empty(), cacheHitRatio(hit, read));
                series.counter("dpg.db.deadlocks", "Deadlocks detected in the database", null, Tags.empty(),
                        number(rs, 5));
                series.counter("dpg.db.temp.files", "Temporary files created by queries", null, Tags.empty(),
                        number(rs, 6));
                series.counter("dpg.db.temp.bytes", "Data written to temporary files by queries", "bytes",
                        Tags.empty(), number(rs, 7));
            }
        }

        /** {@code hit / (hit + read)}; NaN while no block has been requested (the ratio is undefined). */
        static double cacheHitRatio(double hit, double read) {
            double total = hit + read;
            return total > 0 ? hit / total : Double.NaN;
        }
    }

    static final class DatabaseSize extends Probe {
        DatabaseSize(SeriesGroup series) {
            super("database_size", series);
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return true;
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery(CollectorSql.DATABASE_SIZE)) {
                rs.next();
                series.gauge("dpg.db.size", "Size of the database on disk", "bytes", Tags.empty(), number(rs, 1));
            }
        }
    }

    /** Replicas streaming from this server ({@code pg_stat_replication}); empty on a standby or a lone server. */
    static final class Replication extends Probe {
        private final DpgObservability obs;

        Replication(SeriesGroup series, DpgObservability obs) {
            super("replication", series);
            this.obs = obs;
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return true;
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            int replicas = 0;
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery(CollectorSql.REPLICATION)) {
                while (rs.next()) {
                    replicas++;
                    String replica = obs.tagValue("replica", rs.getString(1));
                    String state = obs.tagValue("state", rs.getString(2));
                    double lag = number(rs, 3);
                    // replay_lag is NULL once a caught-up replica has had no WAL to replay for a while: no lag
                    series.gauge("dpg.replication.lag", "Replay lag of a replica (0 when caught up and idle)",
                            "seconds", Tags.of("replica", replica), Double.isNaN(lag) ? 0.0 : lag,
                            SeriesGroup.Merge.MAX);
                    series.gauge("dpg.replication.status",
                            "Replicas connected with this name in this state (normally 1)", null,
                            Tags.of("replica", replica, "state", state), 1.0);
                }
            }
            series.gauge("dpg.replication.replicas", "Replicas connected to this server", null, Tags.empty(),
                    replicas);
        }
    }

    /** Checkpoints: {@code pg_stat_checkpointer} on PostgreSQL 17+, {@code pg_stat_bgwriter} before. */
    static final class Checkpoints extends Probe {
        Checkpoints(SeriesGroup series) {
            super("checkpoints", series);
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return true;
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery(CollectorSql.checkpoints(caps.serverVersionNum()))) {
                rs.next();
                String description = "Checkpoints started, by kind (timed: checkpoint_timeout; requested: WAL size,"
                        + " CHECKPOINT, shutdown)";
                series.counter("dpg.checkpoints", description, null, Tags.of("kind", "timed"), number(rs, 1));
                series.counter("dpg.checkpoints", description, null, Tags.of("kind", "requested"), number(rs, 2));
            }
        }
    }

    /** WAL generated ({@code pg_stat_wal}, PostgreSQL 14+). */
    static final class Wal extends Probe {
        Wal(SeriesGroup series) {
            super("wal", series);
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return CollectorSql.wal(caps.serverVersionNum()) != null;
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery(CollectorSql.wal(caps.serverVersionNum()))) {
                rs.next();
                series.counter("dpg.wal.bytes", "WAL generated by the server", "bytes", Tags.empty(),
                        number(rs, 1));
            }
        }
    }

    /** Size, rows, dead rows and analyze age of the tables that hold vectors; {@code ruvector.vector.count}. */
    static final class VectorTables extends Probe {
        private final DpgObservability obs;
        private final int limit;

        VectorTables(SeriesGroup series, DpgObservability obs, CollectorConfig config) {
            super("vector_tables", series);
            this.obs = obs;
            this.limit = config.maxTables();
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return caps.hasVectorExtension();
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement(CollectorSql.VECTOR_TABLES)) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String schemaName = rs.getString(1);
                        String tableName = rs.getString(2);
                        String schema = obs.tagValue("schema", schemaName);
                        String table = obs.tagValue("table", tableName);
                        Tags tags = Tags.of("schema", schema, "table", table);
                        double liveRows = number(rs, 4);
                        double analyzeAge = number(rs, 6);
                        series.gauge("dpg.table.size", "Size of a table that holds vectors (data and TOAST,"
                                + " without indexes)", "bytes", tags, number(rs, 3));
                        series.gauge("dpg.table.rows", "Live rows of a table that holds vectors (statistics"
                                + " estimate)", null, tags, liveRows);
                        series.gauge("dpg.table.dead.rows", "Dead rows awaiting vacuum in a table that holds"
                                + " vectors", null, tags, number(rs, 5));
                        series.gauge("dpg.table.analyze.age", "Time since the table was last analyzed, manually"
                                        + " or by autovacuum (+Inf if never)", "seconds", tags,
                                Double.isNaN(analyzeAge) ? Double.POSITIVE_INFINITY : analyzeAge,
                                SeriesGroup.Merge.MAX);
                        if (rs.getBoolean(7)) {
                            series.external("ruvector.vector.count" + tags, liveRows, SeriesGroup.Merge.SUM,
                                    supplier -> {
                                        obs.registerVectorCount(schemaName, tableName, supplier);
                                        return obs.registry().find("ruvector.vector.count")
                                                .tags(obs.commonTags()).tags(tags).meter();
                                    });
                        }
                    }
                }
            }
        }
    }

    /** Size and scan counters of the indexes of vector tables; {@code ruvector.index.size} for vector indexes. */
    static final class VectorIndexes extends Probe {
        private final DpgObservability obs;
        private final int limit;

        VectorIndexes(SeriesGroup series, DpgObservability obs, CollectorConfig config) {
            super("vector_indexes", series);
            this.obs = obs;
            this.limit = config.maxIndexes();
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return caps.hasVectorExtension();
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement(CollectorSql.VECTOR_TABLE_INDEXES)) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String schemaName = rs.getString(1);
                        String tableName = rs.getString(2);
                        String indexName = rs.getString(3);
                        String amname = rs.getString(4);
                        Tags tags = Tags.of("schema", obs.tagValue("schema", schemaName),
                                "table", obs.tagValue("table", tableName),
                                "index", obs.tagValue("index", indexName));
                        double size = number(rs, 5);
                        series.gauge("dpg.index.size", "Size of an index of a table that holds vectors", "bytes",
                                tags, size);
                        series.counter("dpg.index.scans", "Scans started on the index", null, tags, number(rs, 6));
                        series.counter("dpg.index.tuples.read", "Index entries returned by scans of the index",
                                null, tags, number(rs, 7));
                        series.counter("dpg.index.tuples.fetched", "Live table rows fetched by simple scans of"
                                + " the index", null, tags, number(rs, 8));
                        if (CollectorSql.isVectorAccessMethod(amname)) {
                            String method = CollectorSql.methodTag(amname);
                            Tags vectorTags = tags.and("method", obs.tagValue("method", method));
                            series.external("ruvector.index.size" + vectorTags, size, SeriesGroup.Merge.SUM,
                                    supplier -> {
                                        obs.registerIndexSize(schemaName, tableName, indexName, method, supplier);
                                        return obs.registry().find("ruvector.index.size")
                                                .tags(obs.commonTags()).tags(vectorTags).meter();
                                    });
                        }
                    }
                }
            }
        }
    }

    /** {@code ruvector_hnsw_debug(index) -> search_stats.total_searches} for RuVector's HNSW indexes. */
    static final class HnswSearches extends Probe {
        private final DpgObservability obs;
        private final int limit;

        HnswSearches(SeriesGroup series, DpgObservability obs, CollectorConfig config) {
            super("ruvector_hnsw_debug", series);
            this.obs = obs;
            this.limit = config.maxIndexes();
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return caps.hasRuVectorFunction(Capabilities.FN_HNSW_DEBUG);
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement(CollectorSql.hnswSearches(caps))) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Tags tags = Tags.of("schema", obs.tagValue("schema", rs.getString(1)),
                                "table", obs.tagValue("table", rs.getString(2)),
                                "index", obs.tagValue("index", rs.getString(3)));
                        series.counter("ruvector.hnsw.searches", "Searches served by a RuVector HNSW index"
                                + " (ruvector_hnsw_debug search_stats.total_searches)", null, tags, number(rs, 4));
                    }
                }
            }
        }
    }

    /** {@code ruvector.info{version}}: {@code ruvector_version()}, or the extension version if it is missing. */
    static final class RuVectorInfo extends Probe {
        private final DpgObservability obs;

        RuVectorInfo(SeriesGroup series, DpgObservability obs) {
            super("ruvector_version", series);
            this.obs = obs;
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return caps.hasRuVector();
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            String version = caps.ruvectorVersion();
            if (caps.hasRuVectorFunction(Capabilities.FN_VERSION)) {
                try (Statement s = connection.createStatement();
                     ResultSet rs = s.executeQuery(CollectorSql.ruvectorVersion(caps))) {
                    rs.next();
                    version = rs.getString(1);
                }
            }
            series.gauge("ruvector.info", "The RuVector extension's version (always 1)", null,
                    Tags.of("version", obs.tagValue("version", version)), 1.0);
        }
    }

    /** {@code ruvector_memory_stats()}, published in bytes (the function reports MiB). */
    static final class RuVectorMemory extends Probe {
        RuVectorMemory(SeriesGroup series) {
            super("ruvector_memory_stats", series);
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return caps.hasRuVectorFunction(Capabilities.FN_MEMORY_STATS);
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery(CollectorSql.ruvectorMemory(caps))) {
                rs.next();
                String[] components = {"index", "vector_cache", "quantization_tables", "total"};
                for (int i = 0; i < components.length; i++) {
                    series.gauge("ruvector.memory", "Memory used by the RuVector extension, by component", "bytes",
                            Tags.of("component", components[i]), number(rs, i + 1) * MIB);
                }
            }
        }
    }

    /** {@code ruvector_is_healthy()} as 1 or 0. */
    static final class RuVectorHealthy extends Probe {
        RuVectorHealthy(SeriesGroup series) {
            super("ruvector_is_healthy", series);
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return caps.hasRuVectorFunction(Capabilities.FN_IS_HEALTHY);
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery(CollectorSql.ruvectorHealthy(caps))) {
                rs.next();
                boolean healthy = rs.getBoolean(1);
                double value = rs.wasNull() ? Double.NaN : healthy ? 1.0 : 0.0;
                series.gauge("ruvector.healthy", "1 if ruvector_is_healthy() reports the extension healthy, else 0",
                        null, Tags.empty(), value);
            }
        }
    }

    /** {@code ruvector_health_status()} kept as JSON text for health checks; no meter. */
    static final class RuVectorHealthStatus extends Probe {
        private final AtomicReference<String> status;

        RuVectorHealthStatus(SeriesGroup series, AtomicReference<String> status) {
            super("ruvector_health_status", series);
            this.status = status;
        }

        @Override
        boolean appliesTo(Capabilities caps) {
            return caps.hasRuVectorFunction(Capabilities.FN_HEALTH_STATUS);
        }

        @Override
        void collect(Connection connection, Capabilities caps) throws SQLException {
            status.set(null);
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery(CollectorSql.ruvectorHealthStatus(caps))) {
                rs.next();
                status.set(rs.getString(1));
            }
        }

        @Override
        void reset() {
            status.set(null);
        }
    }

    /** The meters of the probes (for tests and diagnostics). */
    static List<Meter> meters(List<Probe> probes) {
        return probes.stream().flatMap(p -> p.series.meters().stream()).toList();
    }
}
