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

/**
 * The SQL the collector runs, and the version-dependent choices between texts.
 *
 * <p>Every catalog object is schema-qualified ({@code pg_catalog.}), so an application's {@code search_path}
 * cannot redirect a query. The statistics views are joined by OID ({@code relid}, {@code indexrelid}); vector
 * indexes are found by access method ({@code pg_am.amname}) and vector columns by type: a column whose type (or
 * the base type of its domain) is a member of the {@code ruvector} or {@code vector} extension, looked up through
 * {@code pg_depend}'s index rather than by scanning {@code pg_attribute}. Temporary tables are left out: their
 * names churn and would churn the series.
 */
final class CollectorSql {

    /** The {@code application_name} of the collector's session; sessions with it are left out of activity counts. */
    static final String APPLICATION_NAME = "dpg-observability-collector";

    /** Index access methods that hold vectors: RuVector's ({@code hnsw}, {@code ruhnsw}, {@code ruivfflat}) and pgvector's. */
    static final String VECTOR_ACCESS_METHODS = "'hnsw', 'ruhnsw', 'ruivfflat', 'ivfflat'";

    static final String CAPABILITIES = """
            SELECT pg_catalog.current_setting('server_version_num')::int,
                   pg_catalog.current_setting('max_connections')::int,
                   (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'ruvector'),
                   (SELECT n.nspname FROM pg_catalog.pg_extension e
                      JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'ruvector'),
                   (SELECT pg_catalog.string_agg(DISTINCT p.proname::text, ',') FROM pg_catalog.pg_proc p
                      JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                           AND d.objid = p.oid AND d.deptype = 'e'
                      JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'ruvector'
                     WHERE p.proname IN ('ruvector_version', 'ruvector_memory_stats', 'ruvector_is_healthy',
                                         'ruvector_health_status', 'ruvector_hnsw_debug')),
                   (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'vector')
            """;

    /** Parameter 1: the long-running threshold in seconds. */
    static final String ACTIVITY = """
            SELECT count(*) FILTER (WHERE a.state = 'active'),
                   count(*) FILTER (WHERE a.state = 'idle'),
                   count(*) FILTER (WHERE a.state IN ('idle in transaction', 'idle in transaction (aborted)')),
                   count(*) FILTER (WHERE a.wait_event_type = 'Lock'),
                   count(*) FILTER (WHERE a.state = 'active'
                                      AND a.query_start < pg_catalog.clock_timestamp() - make_interval(secs => ?)),
                   coalesce(max(extract(epoch FROM pg_catalog.clock_timestamp() - a.query_start))
                              FILTER (WHERE a.state = 'active'), 0)::float8
              FROM pg_catalog.pg_stat_activity a
             WHERE a.datname = pg_catalog.current_database()
               AND a.backend_type = 'client backend'
               AND a.pid <> pg_catalog.pg_backend_pid()
               AND a.application_name IS DISTINCT FROM '""" + APPLICATION_NAME + "'";

    static final String DATABASE = """
            SELECT d.xact_commit, d.xact_rollback, d.blks_read, d.blks_hit, d.deadlocks, d.temp_files, d.temp_bytes
              FROM pg_catalog.pg_stat_database d
             WHERE d.datname = pg_catalog.current_database()
            """;

    static final String DATABASE_SIZE = "SELECT pg_catalog.pg_database_size(pg_catalog.current_database())";

    static final String REPLICATION = """
            SELECT r.application_name, r.state, extract(epoch FROM r.replay_lag)::float8
              FROM pg_catalog.pg_stat_replication r
            """;

    static final String CHECKPOINTS_PG17 = "SELECT c.num_timed, c.num_requested FROM pg_catalog.pg_stat_checkpointer c";

    static final String CHECKPOINTS_BGWRITER =
            "SELECT b.checkpoints_timed, b.checkpoints_req FROM pg_catalog.pg_stat_bgwriter b";

    static final String WAL = "SELECT w.wal_bytes FROM pg_catalog.pg_stat_wal w";

    private static final String VECTOR_RELATIONS = """
            WITH vector_types AS (
                SELECT d.objid AS oid
                  FROM pg_catalog.pg_depend d
                  JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
                 WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                   AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                   AND d.deptype = 'e' AND e.extname IN ('ruvector', 'vector')
            ), column_types AS (
                SELECT oid FROM vector_types
                UNION
                SELECT t.oid FROM pg_catalog.pg_type t
                 WHERE t.typtype = 'd' AND t.typbasetype IN (SELECT oid FROM vector_types)
            ), vector_ams AS (
                SELECT a.oid FROM pg_catalog.pg_am a WHERE a.amtype = 'i' AND a.amname IN (""" + VECTOR_ACCESS_METHODS + """
            )
            ), vector_tables AS (
                SELECT d.objid AS relid
                  FROM pg_catalog.pg_depend d
                 WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid > 0
                   AND d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass
                   AND d.refobjid IN (SELECT oid FROM column_types)
                UNION
                SELECT i.indrelid
                  FROM pg_catalog.pg_index i
                  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                 WHERE ic.relam IN (SELECT oid FROM vector_ams)
            )
            """;

    /** Parameter 1: the maximum number of tables. */
    static final String VECTOR_TABLES = VECTOR_RELATIONS + """
            SELECT n.nspname, c.relname,
                   pg_catalog.pg_table_size(c.oid),
                   s.n_live_tup, s.n_dead_tup,
                   extract(epoch FROM pg_catalog.clock_timestamp()
                                      - greatest(s.last_analyze, s.last_autoanalyze))::float8,
                   EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                             JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                            WHERE i.indrelid = c.oid AND ic.relam IN (SELECT oid FROM vector_ams))
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_catalog.pg_stat_all_tables s ON s.relid = c.oid
             WHERE c.oid IN (SELECT relid FROM vector_tables)
               AND c.relkind IN ('r', 'p', 'm') AND c.relpersistence <> 't'
             ORDER BY pg_catalog.pg_total_relation_size(c.oid) DESC NULLS LAST, 1, 2
             LIMIT ?
            """;

    /** Parameter 1: the maximum number of indexes. Vector indexes sort first so the limit never drops them. */
    static final String VECTOR_TABLE_INDEXES = VECTOR_RELATIONS + """
            SELECT n.nspname, t.relname, ic.relname, am.amname,
                   pg_catalog.pg_relation_size(ic.oid),
                   s.idx_scan, s.idx_tup_read, s.idx_tup_fetch
              FROM pg_catalog.pg_index i
              JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
              JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
              JOIN pg_catalog.pg_am am ON am.oid = ic.relam
              LEFT JOIN pg_catalog.pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
             WHERE i.indrelid IN (SELECT relid FROM vector_tables)
               AND t.relkind IN ('r', 'p', 'm') AND t.relpersistence <> 't'
             ORDER BY (ic.relam IN (SELECT oid FROM vector_ams)) DESC,
                      pg_catalog.pg_relation_size(ic.oid) DESC NULLS LAST, 1, 2, 3
             LIMIT ?
            """;

    private CollectorSql() {
    }

    /** Checkpoint counters: {@code pg_stat_checkpointer} from PostgreSQL 17, {@code pg_stat_bgwriter} before. */
    static String checkpoints(int serverVersionNum) {
        return serverVersionNum >= 170000 ? CHECKPOINTS_PG17 : CHECKPOINTS_BGWRITER;
    }

    /** {@code pg_stat_wal} exists from PostgreSQL 14; {@code null} before. */
    static String wal(int serverVersionNum) {
        return serverVersionNum >= 140000 ? WAL : null;
    }

    /**
     * Search counters of the HNSW indexes whose access method belongs to the {@code ruvector} extension
     * (a pgvector {@code hnsw} index is never passed to RuVector's function). The limit is applied before the
     * function is called. Parameter 1: the maximum number of indexes.
     */
    static String hnswSearches(Capabilities caps) {
        return "SELECT x.nspname, x.tbl, x.idx, (" + caps.ruvectorFunction(Capabilities.FN_HNSW_DEBUG)
                + "(x.idx_ref) -> 'search_stats' ->> 'total_searches')::float8\n" + """
                  FROM (SELECT n.nspname, t.relname AS tbl, ic.relname AS idx,
                               ic.oid::pg_catalog.regclass::text AS idx_ref
                          FROM pg_catalog.pg_index i
                          JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                          JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
                          JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
                          JOIN pg_catalog.pg_am am ON am.oid = ic.relam
                          JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_am'::pg_catalog.regclass
                               AND d.objid = am.oid AND d.deptype = 'e'
                          JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'ruvector'
                         WHERE am.amname IN ('hnsw', 'ruhnsw') AND t.relpersistence <> 't'
                         ORDER BY pg_catalog.pg_relation_size(ic.oid) DESC NULLS LAST, 1, 2, 3
                         LIMIT ?) x
                """;
    }

    static String ruvectorVersion(Capabilities caps) {
        return "SELECT " + caps.ruvectorFunction(Capabilities.FN_VERSION) + "()::text";
    }

    static String ruvectorMemory(Capabilities caps) {
        return "SELECT (m ->> 'index_memory_mb')::float8, (m ->> 'vector_cache_mb')::float8,"
                + " (m ->> 'quantization_tables_mb')::float8, (m ->> 'total_extension_mb')::float8"
                + " FROM (SELECT " + caps.ruvectorFunction(Capabilities.FN_MEMORY_STATS) + "()::jsonb AS m) s";
    }

    static String ruvectorHealthy(Capabilities caps) {
        return "SELECT " + caps.ruvectorFunction(Capabilities.FN_IS_HEALTHY) + "()";
    }

    static String ruvectorHealthStatus(Capabilities caps) {
        return "SELECT " + caps.ruvectorFunction(Capabilities.FN_HEALTH_STATUS) + "()::text";
    }

    /** {@code "name"} with embedded quotes doubled: a safe SQL identifier. */
    static String quoteIdent(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** The {@code method} tag of a vector access method: {@code ruhnsw} is RuVector's other name for HNSW. */
    static String methodTag(String amname) {
        return "ruhnsw".equals(amname) ? "hnsw" : amname;
    }

    static boolean isVectorAccessMethod(String amname) {
        return "hnsw".equals(amname) || "ruhnsw".equals(amname) || "ruivfflat".equals(amname)
                || "ivfflat".equals(amname);
    }
}
