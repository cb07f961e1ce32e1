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
package io.dpg.observability.jdbc.internal;

import io.dpg.observability.jdbc.sql.StatementInfo;

/**
 * Classifies SQL text into a {@link StatementInfo}. Thread-safe; never throws; bounded time and memory for any
 * input. {@link #classify} keeps a bounded cache; {@link #classifyUncached} does not (the JDBC wrapper calls it
 * once per SQL text and caches the whole execution plan instead).
 *
 * <h2>What a statement is classified as</h2>
 * <ul>
 *   <li>A query ordered by a vector distance is {@code VECTOR_SEARCH}: a distance operator ({@code <->} L2,
 *       {@code <=>} cosine, {@code <#>} inner product, {@code <+>} L1, pgvector's bit operators {@code <~>}
 *       hamming and {@code <%>} jaccard) or distance function (RuVector's {@code ruvector_*_distance}, pgvector's
 *       {@code l2_distance}, {@code cosine_distance}, {@code inner_product}, {@code l1_distance},
 *       {@code hamming_distance}, {@code jaccard_distance}), anywhere in an ORDER BY key (inside an expression,
 *       behind casts or {@code binary_quantize(...)}), or in a select-list item that ORDER BY names by its output
 *       name ({@code SELECT *, embedding <=> ? AS distance ... ORDER BY distance}) or position
 *       ({@code ORDER BY 2}); such an item may also be a window ranked by a distance
 *       ({@code RANK() OVER (ORDER BY embedding <=> ?) AS rank ... ORDER BY rank}, reciprocal rank fusion). It
 *       carries the FROM table of that query (aliases, CTEs and subqueries followed), the metric, and k: the
 *       query's own LIMIT / FETCH FIRST, as a literal ({@code limit()}) or placeholder
 *       ({@code limitParameter()}). The search may sit in a subquery, LATERAL join or CTE of a SELECT; when
 *       several queries of one statement are searches, the outermost is what the statement returns (a re-ranking
 *       query over a coarse inner search), the first of equally deep ones otherwise.</li>
 *   <li>A distance in a window's or an aggregate's own ORDER BY, or in a select-list column the result is not
 *       ordered by, is no search. A query that only filters by a distance ({@code WHERE embedding <-> ? < 0.5},
 *       no ordering by one) is a range filter, not a k-NN search: it stays {@code SELECT} and is marked
 *       {@link StatementInfo#isDistanceFilter()} with its table and metric (no vector index serves it).</li>
 *   <li>INSERT / UPDATE / DELETE (also after WITH) keep their type even when a search feeds them: the write is
 *       what the statement does. MERGE is OTHER with its target table.</li>
 *   <li>{@code CREATE INDEX ... USING hnsw|ruhnsw|ruivfflat|ivfflat} is INDEX_BUILD; other CREATE INDEX is DDL.
 *       REINDEX, VACUUM, ANALYZE and DROP INDEX are INDEX_MAINTENANCE.</li>
 *   <li>SET / RESET / SHOW are SET; a SET of a vector setting (and {@code SELECT set_config('hnsw.ef_search',
 *       '100', ...)}) carries its name and integer value.</li>
 *   <li>{@code EXPLAIN ...} is OTHER: it does not do what it explains (and EXPLAIN ANALYZE's overhead would skew
 *       the explained kind's latency).</li>
 *   <li>Several statements in one string: the first vector search among them if any, else the first one.</li>
 * </ul>
 *
 * <h2>Cache</h2>
 * {@link #classify} keeps results in a {@link SqlCache} (two generations, bounded to {@code cacheSize} entries;
 * SQL longer than {@link #MAX_CACHED_SQL_LENGTH} characters is classified every time and never cached, so cached
 * keys cost at most {@code cacheSize * 8 KiB} plus their fingerprints, 2 KiB each at most). The JDBC wrapper does
 * not use it: it caches whole execution plans per SQL text and calls {@link #classifyUncached} on a miss.
 */
public final class SqlClassifier {

    /** SQL longer than this many characters is never cached (classifying it is still bounded). */
    public static final int MAX_CACHED_SQL_LENGTH = SqlCache.MAX_SQL_LENGTH;

    private final SqlCache<StatementInfo> cache;

    public SqlClassifier(int cacheSize) {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize: must be >= 0, got " + cacheSize);
        }
        this.cache = new SqlCache<>(cacheSize);
    }

    /** Classification of {@code sql}; {@link ClassifiedStatement#UNKNOWN} for {@code null} or empty. */
    public StatementInfo classify(String sql) {
        if (sql == null || sql.isEmpty()) {
            return ClassifiedStatement.UNKNOWN;
        }
        StatementInfo info = cache.get(sql);
        if (info == null) {
            info = classifyUncached(sql);
            cache.put(sql, info);
        }
        return info;
    }

    /** Classification without touching the cache (for prepared statements, which keep their own result). */
    public StatementInfo classifyUncached(String sql) {
        if (sql == null || sql.isEmpty()) {
            return ClassifiedStatement.UNKNOWN;
        }
        try {
            return new SqlAnalyzer(sql).run();
        } catch (RuntimeException | StackOverflowError e) {
            // never harm the caller: an unreadable statement is OTHER with no details
            return ClassifiedStatement.UNKNOWN;
        }
    }

    /** Capacity given at construction. */
    public int cacheSize() {
        return cache.capacity();
    }

    /** Entries held now (never more than {@link #cacheSize()}). */
    public int cachedEntries() {
        return cache.size();
    }
}
