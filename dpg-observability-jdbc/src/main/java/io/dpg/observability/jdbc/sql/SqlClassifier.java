package io.dpg.observability.jdbc.sql;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Classifies SQL text into a {@link StatementInfo}. Thread-safe; never throws; bounded time and memory for any
 * input. Plain {@code Statement} SQL goes through {@link #classify}, which keeps a bounded cache; prepared
 * statements call {@link #classify} (or {@link #classifyUncached}) once at prepare time and keep the result.
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
 * Two generations of {@link ConcurrentHashMap}: a lookup reads the young one, then the old one (and promotes a
 * hit); a miss is classified outside any lock and inserted into the young generation. When the young generation
 * reaches half the capacity it becomes the old one and the previous old one is dropped, so the cache never holds
 * more than {@code cacheSize} entries and statements in use keep getting promoted (an approximate LRU with O(1)
 * eviction). Hits take no lock and allocate nothing; inserts take a short lock. SQL longer than
 * {@link #MAX_CACHED_SQL_LENGTH} characters is classified every time and never cached, so cached keys cost at most
 * {@code cacheSize * 8 KiB} plus their fingerprints (2 KiB each at most).
 */
public final class SqlClassifier {

    /** SQL longer than this many characters is never cached (classifying it is still bounded). */
    public static final int MAX_CACHED_SQL_LENGTH = 8 * 1024;

    private final int cacheSize;
    private final int generationSize;
    private final Object rotateLock = new Object();
    private volatile Map<String, StatementInfo> young;
    private volatile Map<String, StatementInfo> old;

    public SqlClassifier(int cacheSize) {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize: must be >= 0, got " + cacheSize);
        }
        this.cacheSize = cacheSize;
        this.generationSize = cacheSize >= 2 ? cacheSize / 2 : cacheSize;
        this.young = new ConcurrentHashMap<>();
        this.old = Map.of();
    }

    /** Classification of {@code sql}; {@link StatementInfo#UNKNOWN} for {@code null} or empty. */
    public StatementInfo classify(String sql) {
        if (sql == null || sql.isEmpty()) {
            return StatementInfo.UNKNOWN;
        }
        if (cacheSize == 0 || sql.length() > MAX_CACHED_SQL_LENGTH) {
            return classifyUncached(sql);
        }
        StatementInfo info = young.get(sql);
        if (info != null) {
            return info;
        }
        info = old.get(sql);
        if (info == null) {
            info = classifyUncached(sql);
        }
        insert(sql, info);
        return info;
    }

    /** Classification without touching the cache (for prepared statements, which keep their own result). */
    public StatementInfo classifyUncached(String sql) {
        if (sql == null || sql.isEmpty()) {
            return StatementInfo.UNKNOWN;
        }
        try {
            return new SqlAnalyzer(sql).run();
        } catch (RuntimeException | StackOverflowError e) {
            // never harm the caller: an unreadable statement is OTHER with no details
            return StatementInfo.UNKNOWN;
        }
    }

    private void insert(String sql, StatementInfo info) {
        synchronized (rotateLock) {
            Map<String, StatementInfo> y = young;
            if (y.size() >= generationSize) {
                old = cacheSize >= 2 ? y : Map.of();
                y = new ConcurrentHashMap<>(Math.max(16, generationSize * 4 / 3 + 1));
                young = y;
            }
            y.putIfAbsent(sql, info);
        }
    }

    /** Capacity given at construction. */
    public int cacheSize() {
        return cacheSize;
    }

    /** Entries held now (never more than {@link #cacheSize()}). */
    public int cachedEntries() {
        synchronized (rotateLock) {
            return young.size() + old.size();
        }
    }
}
