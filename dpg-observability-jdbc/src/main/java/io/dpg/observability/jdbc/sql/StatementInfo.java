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
 * What the classifier learned from one SQL string: immutable, computed once per statement text.
 *
 * <p>Only low-cardinality facts (kind, table, distance metric, index method) may become metric tags; the
 * {@link #fingerprint()} is for the in-process top-N table and never a tag.
 */
public final class StatementInfo {

    /** For {@code null} or empty SQL and anything the classifier cannot read. */
    public static final StatementInfo UNKNOWN = builder(QueryType.OTHER).build();

    private final QueryType queryType;
    private final String schema;
    private final String table;
    private final DistanceMetric metric;
    private final IndexOperation indexOperation;
    private final String indexMethod;
    private final String settingName;
    private final long settingValue;
    private final long limit;
    private final int limitParameter;
    private final String fingerprint;
    private final String indexName;
    private final boolean fingerprintTruncated;
    private final TransactionEnd transactionEnd;
    private final boolean distanceFilter;
    private final java.util.List<SettingChange> settingChanges;

    private StatementInfo(Builder b) {
        this.queryType = b.queryType;
        this.schema = b.schema;
        this.table = b.table;
        this.metric = b.metric;
        this.indexOperation = b.indexOperation;
        this.indexMethod = b.indexMethod;
        this.settingName = b.settingName;
        this.settingValue = b.settingValue;
        this.limit = b.limit;
        this.limitParameter = b.limitParameter;
        this.fingerprint = b.fingerprint;
        this.indexName = b.indexName;
        this.fingerprintTruncated = b.fingerprintTruncated;
        this.transactionEnd = b.transactionEnd;
        this.distanceFilter = b.distanceFilter;
        this.settingChanges = b.settingChanges;
    }

    public static Builder builder(QueryType type) {
        return new Builder(type);
    }

    /** The {@code query_type} of {@code dpg.query.duration}. */
    public QueryType queryType() {
        return queryType;
    }

    /** True when the statement orders by a vector distance operator or function. */
    public boolean isVectorSearch() {
        return queryType == QueryType.VECTOR_SEARCH;
    }

    /**
     * True for a query that filters by a vector distance without ordering by one ({@code WHERE embedding <-> ? <
     * 0.5}): a range filter, not a k-nearest-neighbour search. It stays a {@code SELECT}; {@link #metric()} and
     * {@link #table()} say which distance on which table. pgvector's and RuVector's indexes serve only
     * {@code ORDER BY distance LIMIT k}, so such a statement reads every row it filters.
     */
    public boolean isDistanceFilter() {
        return distanceFilter;
    }

    /** Schema of {@link #table()} when written qualified, lower-cased unless quoted; else {@code null}. */
    public String schema() {
        return schema;
    }

    /**
     * The main table: the one searched (vector search) or filtered by a distance ({@link #isDistanceFilter()}), written (INSERT/UPDATE/DELETE), indexed (CREATE INDEX),
     * or maintained (VACUUM/REINDEX TABLE); lower-cased unless quoted; {@code null} when unknown.
     */
    public String table() {
        return table;
    }

    /** Distance metric of a vector search or distance filter ({@link DistanceMetric#UNKNOWN} otherwise). */
    public DistanceMetric metric() {
        return metric;
    }

    /**
     * The index operation this statement is, when it is one: BUILD for CREATE INDEX using a vector method,
     * REINDEX, VACUUM, DROP (DROP INDEX), or INSERT/UPDATE/DELETE (which count as index operations only when
     * the table carries a vector index: the caller decides that); {@code null} otherwise.
     */
    public IndexOperation indexOperation() {
        return indexOperation;
    }

    /** Access method of CREATE INDEX ({@code hnsw}, {@code ruhnsw}, {@code ruivfflat}, {@code ivfflat}), else {@code null}. */
    public String indexMethod() {
        return indexMethod;
    }

    /**
     * For {@code SET [LOCAL|SESSION] hnsw.ef_search | ruvector.ef_search | ivfflat.probes | ruvector.probes}: the
     * setting's name, lower-cased; else {@code null}.
     */
    public String settingName() {
        return settingName;
    }

    /**
     * Every change of a tracked vector setting ({@link SettingChange#TRACKED}) the SQL string makes, in order, over
     * all its statements ({@code SET LOCAL hnsw.ef_search = 100; SELECT ...} included); empty when none.
     */
    public java.util.List<SettingChange> settingChanges() {
        return settingChanges;
    }

    /**
     * The integer value of such a SET (for {@code *.iterative_scan}: 0 off, 1 strict_order, 2 relaxed_order), or
     * -1 when absent or not a literal.
     */
    public long settingValue() {
        return settingValue;
    }

    /**
     * When a vector search's LIMIT (or FETCH FIRST) is a placeholder: its 1-based parameter number ({@code ?}
     * counted from the start of the SQL, or the n of {@code $n}), so the value bound there is the search's k;
     * else -1.
     */
    public int limitParameter() {
        return limitParameter;
    }

    /** A literal LIMIT (the k of a vector search), or -1 when absent or a parameter. */
    public long limit() {
        return limit;
    }

    /** SQL with literals replaced by {@code ?} and IN-lists collapsed; bounded length; never a metric tag. */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * The index named by {@code CREATE INDEX name}, {@code DROP INDEX name} or {@code REINDEX INDEX name},
     * lower-cased unless quoted ({@link #schema()} holds its schema for DROP / REINDEX when written qualified);
     * {@code null} otherwise. For CREATE INDEX, {@link #table()} is the indexed table.
     */
    public String indexName() {
        return indexName;
    }

    /** True when the statement's fingerprint hit its length cap and ends with {@code \u2026}. */
    public boolean fingerprintTruncated() {
        return fingerprintTruncated;
    }

    /** Whether this statement commits or rolls back the session's transaction (never null). */
    public TransactionEnd transactionEnd() {
        return transactionEnd;
    }

    @Override
    public String toString() {
        return "StatementInfo{" + queryType + ", table=" + (schema == null ? "" : schema + ".") + table
                + ", metric=" + metric + ", indexOperation=" + indexOperation + ", indexMethod=" + indexMethod
                + ", indexName=" + indexName
                + (distanceFilter ? ", distanceFilter" : "")
                + ", setting=" + settingName + "=" + settingValue + ", limit=" + limit
                + (transactionEnd == TransactionEnd.NONE ? "" : ", ends=" + transactionEnd) + '}';
    }

    /** Builder used by the classifier. */
    public static final class Builder {
        private final QueryType queryType;
        private String schema;
        private String table;
        private DistanceMetric metric = DistanceMetric.UNKNOWN;
        private IndexOperation indexOperation;
        private String indexMethod;
        private String settingName;
        private long settingValue = -1;
        private long limit = -1;
        private int limitParameter = -1;
        private String fingerprint = "";
        private String indexName;
        private boolean fingerprintTruncated;
        private TransactionEnd transactionEnd = TransactionEnd.NONE;
        private boolean distanceFilter;
        private java.util.List<SettingChange> settingChanges = java.util.List.of();

        private Builder(QueryType queryType) {
            this.queryType = queryType;
        }

        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        public Builder table(String table) {
            this.table = table;
            return this;
        }

        public Builder metric(DistanceMetric metric) {
            this.metric = metric == null ? DistanceMetric.UNKNOWN : metric;
            return this;
        }

        public Builder indexOperation(IndexOperation op) {
            this.indexOperation = op;
            return this;
        }

        public Builder indexMethod(String method) {
            this.indexMethod = method;
            return this;
        }

        public Builder setting(String name, long value) {
            this.settingName = name;
            this.settingValue = value;
            return this;
        }

        public Builder limit(long limit) {
            this.limit = limit;
            return this;
        }

        public Builder limitParameter(int parameter) {
            this.limitParameter = parameter;
            return this;
        }

        public Builder fingerprint(String fingerprint) {
            this.fingerprint = fingerprint == null ? "" : fingerprint;
            return this;
        }

        public Builder indexName(String indexName) {
            this.indexName = indexName;
            return this;
        }

        public Builder fingerprintTruncated(boolean truncated) {
            this.fingerprintTruncated = truncated;
            return this;
        }

        public Builder transactionEnd(TransactionEnd end) {
            this.transactionEnd = end == null ? TransactionEnd.NONE : end;
            return this;
        }

        public Builder settingChanges(java.util.List<SettingChange> changes) {
            this.settingChanges = changes == null ? java.util.List.of() : java.util.List.copyOf(changes);
            return this;
        }

        public Builder distanceFilter(boolean distanceFilter) {
            this.distanceFilter = distanceFilter;
            return this;
        }

        public StatementInfo build() {
            return new StatementInfo(this);
        }
    }
}
