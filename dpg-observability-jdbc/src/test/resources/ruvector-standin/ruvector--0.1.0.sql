-- STAND-IN for RuVector's SQL surface, written for dpg-observability's tests and demo.
-- It imitates what our instrumentation observes: the type name, the distance operators, the index access
-- methods (so pg_am.amname reports hnsw / ruivfflat and indexes grow with their table) and the monitoring
-- functions. Index scans do not use these access methods for ordering; searches are sequential scans.

CREATE DOMAIN ruvector AS real[];

CREATE FUNCTION ruvector_l2_distance(a real[], b real[]) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT sqrt(sum((x - y) * (x - y))) FROM unnest(a, b) AS t(x, y) $$;

CREATE FUNCTION ruvector_cosine_distance(a real[], b real[]) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT 1 - sum(x * y) / nullif(sqrt(sum(x * x)) * sqrt(sum(y * y)), 0)
          FROM unnest(a, b) AS t(x, y) $$;

CREATE FUNCTION ruvector_inner_product(a real[], b real[]) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT -sum(x * y) FROM unnest(a, b) AS t(x, y) $$;

CREATE FUNCTION ruvector_l1_distance(a real[], b real[]) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT sum(abs(x - y)) FROM unnest(a, b) AS t(x, y) $$;

CREATE OPERATOR <-> (LEFTARG = real[], RIGHTARG = real[], FUNCTION = ruvector_l2_distance, COMMUTATOR = <->);
CREATE OPERATOR <=> (LEFTARG = real[], RIGHTARG = real[], FUNCTION = ruvector_cosine_distance, COMMUTATOR = <=>);
CREATE OPERATOR <#> (LEFTARG = real[], RIGHTARG = real[], FUNCTION = ruvector_inner_product, COMMUTATOR = <#>);
CREATE OPERATOR <+> (LEFTARG = real[], RIGHTARG = real[], FUNCTION = ruvector_l1_distance, COMMUTATOR = <+>);

-- Access methods named as RuVector's; the hash handler gives real, growing indexes.
CREATE ACCESS METHOD hnsw TYPE INDEX HANDLER hashhandler;
CREATE ACCESS METHOD ruivfflat TYPE INDEX HANDLER hashhandler;

CREATE OPERATOR CLASS ruvector_l2_ops DEFAULT FOR TYPE real[] USING hnsw AS
    OPERATOR 1 = (anyarray, anyarray), FUNCTION 1 hash_array(anyarray);
CREATE OPERATOR CLASS ruvector_cosine_ops FOR TYPE real[] USING hnsw AS
    OPERATOR 1 = (anyarray, anyarray), FUNCTION 1 hash_array(anyarray);
CREATE OPERATOR CLASS ruvector_ip_ops FOR TYPE real[] USING hnsw AS
    OPERATOR 1 = (anyarray, anyarray), FUNCTION 1 hash_array(anyarray);
CREATE OPERATOR CLASS ruvector_l2_ops DEFAULT FOR TYPE real[] USING ruivfflat AS
    OPERATOR 1 = (anyarray, anyarray), FUNCTION 1 hash_array(anyarray);
CREATE OPERATOR CLASS ruvector_cosine_ops FOR TYPE real[] USING ruivfflat AS
    OPERATOR 1 = (anyarray, anyarray), FUNCTION 1 hash_array(anyarray);

-- Settings RuVector defines; custom placeholders accept SET ruvector.ef_search = 40.
SELECT set_config('ruvector.ef_search', '40', false);

CREATE FUNCTION ruvector_version() RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT '0.1.0-standin' $$;

CREATE FUNCTION ruvector_memory_stats() RETURNS jsonb
    LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'index_memory_mb', round(coalesce(sum(pg_relation_size(i.indexrelid)), 0) / 1048576.0, 3),
        'vector_cache_mb', 0,
        'quantization_tables_mb', 0,
        'total_extension_mb', round(coalesce(sum(pg_relation_size(i.indexrelid)), 0) / 1048576.0, 3))
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am a ON a.oid = c.relam
    WHERE a.amname IN ('hnsw', 'ruivfflat') $$;

CREATE FUNCTION ruvector_is_healthy() RETURNS boolean
    LANGUAGE sql STABLE AS $$ SELECT true $$;

CREATE FUNCTION ruvector_health_status() RETURNS jsonb
    LANGUAGE sql STABLE AS $$ SELECT jsonb_build_object('healthy', true, 'version', ruvector_version(),
                                                       'standin', true) $$;

CREATE FUNCTION ruvector_hnsw_debug(index_name text) RETURNS jsonb
    LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'index', index_name,
        'search_stats', jsonb_build_object(
            'total_searches', coalesce(s.idx_scan, 0),
            'tuples_read', coalesce(s.idx_tup_read, 0)))
    FROM (SELECT 1) one
    LEFT JOIN pg_stat_user_indexes s ON s.indexrelname = index_name $$;

CREATE FUNCTION ruvector_system_metrics() RETURNS jsonb
    LANGUAGE sql STABLE AS $$ SELECT jsonb_build_object('memory', ruvector_memory_stats(), 'standin', true) $$;
