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

import io.dpg.observability.DpgObservability;
import io.dpg.observability.IndexOperation;
import io.dpg.observability.QueryObserver;
import io.dpg.observability.QueryType;
import io.dpg.observability.jdbc.internal.ClassifiedStatement;
import io.dpg.observability.jdbc.internal.SqlCache;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.dpg.observability.IndexOperationObserver;
import io.dpg.observability.VectorSearchObserver;

import java.util.function.Function;

/**
 * The execution plans of one {@link ObservedDataSource}: SQL text to {@link ExecutionPlan} through one bounded
 * {@link SqlCache}, classified once per SQL text and resolved to meters once per plan.
 *
 * <p>Design notes: a plain statement's execution is one cache lookup (no lock, no allocation on a hit in the
 * young generation); a miss classifies the SQL and builds the plan outside any lock. Prepared and callable
 * statements take their plan from the same cache at prepare time and keep it. A plan built against a catalog
 * snapshot that has since changed is rebuilt from its classification (never re-parsed) and replaces the cached
 * one. Nothing here throws: unreadable SQL gets {@link ClassifiedStatement#UNKNOWN}, a failing build a plan that records
 * only the query type.
 */
final class ExecutionPlans {

    private final DpgObservability obs;
    private final boolean observeResultRows;
    private final Function<String, StatementInfo> classifier;
    /** Null when the catalog is never read. */
    private final VectorIndexCatalog catalog;
    private final SqlCache<ExecutionPlan> cache;

    ExecutionPlans(DpgObservability obs, JdbcObservabilityConfig config, Function<String, StatementInfo> classifier,
                   VectorIndexCatalog catalog) {
        this.obs = obs;
        this.observeResultRows = config.observeResultRows();
        this.classifier = classifier;
        this.catalog = catalog;
        this.cache = new SqlCache<>(config.classifierCacheSize());
    }

    /** The plan of {@code sql}: cached, rebuilt when the catalog changed since it was built. Never throws. */
    ExecutionPlan forSql(String sql) {
        ExecutionPlan p = cache.get(sql);
        if (p == null) {
            p = build(classify(sql), null);
            cache.put(sql, p);
        } else if (p.staleFor(snapshot())) {
            p = build(p.info, null);
            cache.put(sql, p);
        }
        return p;
    }

    /** The plan of a prepared or callable statement; {@code overrideOther} replaces an OTHER query type. */
    ExecutionPlan forPrepared(String sql, QueryType overrideOther) {
        ExecutionPlan p = forSql(sql);
        if (overrideOther != null && p.info.queryType() == QueryType.OTHER) {
            return build(p.info, overrideOther);
        }
        return p;
    }

    /** {@code current} itself, or its rebuild when the catalog changed since it was built. */
    ExecutionPlan refreshed(ExecutionPlan current, QueryType overrideOther) {
        if (!current.staleFor(snapshot())) {
            return current;
        }
        return build(current.info, overrideOther != null && current.info.queryType() == QueryType.OTHER
                ? overrideOther : null);
    }

    /** Entries in the plan cache (for tests). */
    int cachedPlans() {
        return cache.size();
    }

    private StatementInfo classify(String sql) {
        try {
            StatementInfo info = classifier.apply(sql);
            return info == null ? ClassifiedStatement.UNKNOWN : info;
        } catch (RuntimeException e) {
            return ClassifiedStatement.UNKNOWN;
        }
    }

    private VectorIndexCatalog.Snapshot snapshot() {
        return catalog == null ? VectorIndexCatalog.Snapshot.EMPTY : catalog.snapshot();
    }

    ExecutionPlan build(StatementInfo info, QueryType override) {
        try {
            return buildUnsafe(info, override);
        } catch (RuntimeException e) {
            return new ExecutionPlan(info, obs.query(override == null ? info.queryType() : override), null, null,
                    -1, null, false, false, ExecutionPlan.SETTING_NONE, -1, null, null);
        }
    }

    private ExecutionPlan buildUnsafe(StatementInfo info, QueryType override) {
        QueryType type = override != null ? override : info.queryType();
        String schema = info.schema();
        String table = info.table();
        // the table matters for the metric only under OpenTelemetry naming (db.collection.name)
        QueryObserver query = obs.query(type, table);
        String collection = table == null ? "unknown" : table;

        VectorSearchObserver search = null;
        VectorSearchObserver results = null;
        int k = -1;
        if (info.isVectorSearch()) {
            search = obs.vectorSearch(collection, info.metric());
            if (observeResultRows) {
                results = search;
            }
            k = info.limit() > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) info.limit();
        }

        IndexOperation op = info.indexOperation();
        if (op == null) {
            op = type == QueryType.INSERT ? IndexOperation.INSERT
                    : type == QueryType.UPDATE ? IndexOperation.UPDATE
                    : type == QueryType.DELETE ? IndexOperation.DELETE : null;
        }
        IndexOperationObserver indexOp = null;
        boolean countsRows = false;
        boolean refresh = type == QueryType.DDL || type == QueryType.INDEX_BUILD;
        VectorIndexCatalog.Snapshot snap = null;
        if (type == QueryType.INDEX_BUILD || op == IndexOperation.BUILD) {
            indexOp = obs.indexOperation(collection, IndexOperation.BUILD);
            refresh = true;
        } else if (op != null && op != IndexOperation.SEARCH) {
            snap = snapshot();
            switch (op) {
                case INSERT:
                case UPDATE:
                case DELETE:
                    if (snap.hasVectorIndex(schema, table)) {
                        indexOp = obs.indexOperation(collection, op);
                        countsRows = true;
                    }
                    break;
                case VACUUM:
                    if (snap.hasVectorIndex(schema, table)) {
                        indexOp = obs.indexOperation(collection, op);
                    }
                    break;
                case DROP:
                case REINDEX: {
                    // DROP INDEX / REINDEX INDEX name an index; REINDEX TABLE names a table
                    String index = info.indexName() != null ? info.indexName() : table;
                    String owner = snap.tableOfIndex(schema, index);
                    if (owner == null && op == IndexOperation.REINDEX && snap.hasVectorIndex(schema, table)) {
                        owner = table; // REINDEX TABLE
                    }
                    if (owner != null) {
                        indexOp = obs.indexOperation(owner, op);
                    }
                    refresh |= op == IndexOperation.DROP;
                    break;
                }
                default:
                    break;
            }
        }

        byte setting = ExecutionPlan.SETTING_NONE;
        String name = info.settingName();
        if (name != null && info.settingValue() >= 0) {
            if (name.equals("hnsw.ef_search") || name.equals("ruvector.ef_search")) {
                setting = ExecutionPlan.SETTING_EF_SEARCH;
            } else if (name.equals("ivfflat.probes") || name.equals("ruvector.probes")) {
                setting = ExecutionPlan.SETTING_PROBES;
            }
        }
        return new ExecutionPlan(info, query, search, results, k, indexOp, countsRows, refresh, setting,
                info.settingValue(), snap, DistanceFilters.counter(obs, info));
    }

}
