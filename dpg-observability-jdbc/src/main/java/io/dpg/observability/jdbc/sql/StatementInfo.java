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
package io.dpg.observability.jdbc.sql;

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.IndexOperation;
import io.dpg.observability.QueryType;

/**
 * What the classifier learned from one SQL string: immutable, computed once per statement text. The library
 * creates these (a {@link io.dpg.observability.jdbc.StatementListener} receives them); it is not meant to be
 * implemented elsewhere.
 *
 * <p>Only low-cardinality facts (kind, table, distance metric, index method) may become metric tags; the
 * {@link #fingerprint()} is for the in-process top-N table and never a tag.
 */
public interface StatementInfo {

    /** The {@code query_type} of {@code dpg.query.duration}. */
    QueryType queryType();

    /** True when the statement orders by a vector distance operator or function. */
    default boolean isVectorSearch() {
        return queryType() == QueryType.VECTOR_SEARCH;
    }

    /**
     * True for a query that filters by a vector distance without ordering by one ({@code WHERE embedding <-> ? <
     * 0.5}): a range filter, not a k-nearest-neighbour search. It stays a {@code SELECT}; {@link #metric()} and
     * {@link #table()} say which distance on which table. pgvector's and RuVector's indexes serve only
     * {@code ORDER BY distance LIMIT k}, so such a statement reads every row it filters.
     */
    boolean isDistanceFilter();

    /** Schema of {@link #table()} when written qualified, lower-cased unless quoted; else {@code null}. */
    String schema();

    /**
     * The main table: the one searched (vector search) or filtered by a distance ({@link #isDistanceFilter()}), written (INSERT/UPDATE/DELETE), indexed (CREATE INDEX),
     * or maintained (VACUUM/REINDEX TABLE); lower-cased unless quoted; {@code null} when unknown.
     */
    String table();

    /** Distance metric of a vector search or distance filter ({@link DistanceMetric#UNKNOWN} otherwise). */
    DistanceMetric metric();

    /**
     * The index operation this statement is, when it is one: BUILD for CREATE INDEX using a vector method,
     * REINDEX, VACUUM, DROP (DROP INDEX), or INSERT/UPDATE/DELETE (which count as index operations only when
     * the table carries a vector index: the caller decides that); {@code null} otherwise.
     */
    IndexOperation indexOperation();

    /** Access method of CREATE INDEX ({@code hnsw}, {@code ruhnsw}, {@code ruivfflat}, {@code ivfflat}), else {@code null}. */
    String indexMethod();

    /**
     * For {@code SET [LOCAL|SESSION] hnsw.ef_search | ruvector.ef_search | ivfflat.probes | ruvector.probes}: the
     * setting's name, lower-cased; else {@code null}.
     */
    String settingName();

    /**
     * Every change of a tracked vector setting ({@link SettingChange#TRACKED}) the SQL string makes, in order, over
     * all its statements ({@code SET LOCAL hnsw.ef_search = 100; SELECT ...} included); empty when none.
     */
    java.util.List<SettingChange> settingChanges();

    /**
     * The integer value of such a SET (for {@code *.iterative_scan}: 0 off, 1 strict_order, 2 relaxed_order), or
     * -1 when absent or not a literal.
     */
    long settingValue();

    /**
     * When a vector search's LIMIT (or FETCH FIRST) is a placeholder: its 1-based parameter number ({@code ?}
     * counted from the start of the SQL, or the n of {@code $n}), so the value bound there is the search's k;
     * else -1.
     */
    int limitParameter();

    /** A literal LIMIT (the k of a vector search), or -1 when absent or a parameter. */
    long limit();

    /** SQL with literals replaced by {@code ?} and IN-lists collapsed; bounded length; never a metric tag. */
    String fingerprint();

    /**
     * The index named by {@code CREATE INDEX name}, {@code DROP INDEX name} or {@code REINDEX INDEX name},
     * lower-cased unless quoted ({@link #schema()} holds its schema for DROP / REINDEX when written qualified);
     * {@code null} otherwise. For CREATE INDEX, {@link #table()} is the indexed table.
     */
    String indexName();

    /** True when the statement's fingerprint hit its length cap and ends with {@code \u2026}. */
    boolean fingerprintTruncated();

    /** Whether this statement commits or rolls back the session's transaction (never null). */
    TransactionEnd transactionEnd();
}
