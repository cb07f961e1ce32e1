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

import io.dpg.observability.QueryObserver;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.dpg.observability.IndexOperationObserver;
import io.dpg.observability.VectorSearchObserver;
import io.micrometer.core.instrument.Counter;

/**
 * Everything one execution of one SQL text records to, resolved once: at prepare time for prepared and callable
 * statements, through the bounded SQL-keyed cache of {@link ExecutionPlans} for plain statement SQL. Immutable.
 *
 * <p>A plan that depends on the vector-index catalog (DML, VACUUM, REINDEX, DROP INDEX) remembers the catalog
 * snapshot it was built against; when the catalog changes the holder rebuilds it on the next execution.
 */
final class ExecutionPlan {

    static final byte SETTING_NONE = 0;
    static final byte SETTING_EF_SEARCH = 1;
    static final byte SETTING_PROBES = 2;

    final StatementInfo info;
    final QueryObserver query;
    /** Non-null for a vector search. */
    final VectorSearchObserver search;
    /** {@link #search} when its rows are counted into {@code ruvector.search.results}; null when they are not. */
    final VectorSearchObserver searchResults;
    /** The literal LIMIT of a vector search, or -1. */
    final int k;
    /** 1-based parameter number of a vector search's LIMIT placeholder, or -1. */
    final int limitParameter;
    /** Non-null when the statement is a vector index operation. */
    final IndexOperationObserver indexOp;
    /** True when {@link #indexOp} counts rows written (INSERT/UPDATE/DELETE on a table with a vector index). */
    final boolean countsRows;
    /** True when a success should re-read the vector-index catalog (index build, DROP, DDL). */
    final boolean refreshesCatalog;
    final byte setting;
    final long settingValue;
    /** The catalog snapshot this plan was built against, or null when the plan does not depend on it. */
    final VectorIndexCatalog.Snapshot snapshot;
    /** {@code ruvector.distance.filters} of a distance-filter query (no k-NN search), else null. */
    final Counter distanceFilter;
    /** 1-based placeholder of a {@code set_config(name, ?, ..)} value, else -1; {@link #settingName} its setting. */
    final int settingParameter;
    final String settingName;

    ExecutionPlan(StatementInfo info, QueryObserver query, VectorSearchObserver search,
                  VectorSearchObserver searchResults, int k, IndexOperationObserver indexOp, boolean countsRows,
                  boolean refreshesCatalog, byte setting, long settingValue, VectorIndexCatalog.Snapshot snapshot,
                  Counter distanceFilter) {
        this.info = info;
        this.query = query;
        this.search = search;
        this.searchResults = searchResults;
        this.k = k;
        this.limitParameter = search == null ? -1 : info.limitParameter();
        this.indexOp = indexOp;
        this.countsRows = countsRows;
        this.refreshesCatalog = refreshesCatalog;
        this.setting = setting;
        this.settingValue = settingValue;
        this.snapshot = snapshot;
        this.distanceFilter = distanceFilter;
        int param = -1;
        String name = null;
        for (io.dpg.observability.jdbc.sql.SettingChange ch : info.settingChanges()) {
            if (ch.valueParameter() > 0) {
                param = ch.valueParameter();
                name = ch.name();
                break;
            }
        }
        this.settingParameter = param;
        this.settingName = name;
    }

    /** True when built against an older catalog snapshot than {@code current}. */
    @SuppressWarnings("ReferenceEquality") // identity on purpose: every catalog read publishes a new snapshot object
    boolean staleFor(VectorIndexCatalog.Snapshot current) {
        return snapshot != null && snapshot != current;
    }
}
