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

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.IndexOperation;
import io.dpg.observability.QueryType;
import io.dpg.observability.jdbc.sql.SettingChange;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.dpg.observability.jdbc.sql.TransactionEnd;

/**
 * The one implementation of {@link StatementInfo}: immutable, built by the classifier ({@link SqlAnalyzer}) through
 * {@link #builder}. Internal (this package is not exported), so the builder is no part of the API.
 *
 * <p>{@link #UNKNOWN} lives here, not in the interface: a constant of this type in {@link StatementInfo} would
 * make the two initialize each other (a null constant, or a deadlock between two threads).
 */
public final class ClassifiedStatement implements StatementInfo {

    /** For {@code null} or empty SQL and anything the classifier cannot read. */
    public static final ClassifiedStatement UNKNOWN = builder(QueryType.OTHER).build();

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

    private ClassifiedStatement(Builder b) {
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

    @Override
    public QueryType queryType() {
        return queryType;
    }

    @Override
    public boolean isDistanceFilter() {
        return distanceFilter;
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public DistanceMetric metric() {
        return metric;
    }

    @Override
    public IndexOperation indexOperation() {
        return indexOperation;
    }

    @Override
    public String indexMethod() {
        return indexMethod;
    }

    @Override
    public String settingName() {
        return settingName;
    }

    @Override
    public java.util.List<SettingChange> settingChanges() {
        return settingChanges;
    }

    @Override
    public long settingValue() {
        return settingValue;
    }

    @Override
    public int limitParameter() {
        return limitParameter;
    }

    @Override
    public long limit() {
        return limit;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String indexName() {
        return indexName;
    }

    @Override
    public boolean fingerprintTruncated() {
        return fingerprintTruncated;
    }

    @Override
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

    /** Builder used by the classifier (and by tests that give the wrapper a classification). */
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

        public ClassifiedStatement build() {
            return new ClassifiedStatement(this);
        }
    }
}
