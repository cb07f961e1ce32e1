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
import io.dpg.observability.internal.LatencySeries;
import io.dpg.observability.internal.SizeSummary;
import io.dpg.observability.jdbc.quality.SearchQuality;
import io.dpg.observability.jdbc.sql.QueryStatistics;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.dpg.observability.jdbc.sql.TransactionEnd;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;

import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records executions: each execution of an {@link ExecutionPlan} once, into the meters the plan resolved, the
 * in-process statement statistics and the {@link StatementListener}.
 *
 * <p>Design notes: every method here is called after the driver returned or threw, catches every
 * {@link RuntimeException} and returns normally, so bookkeeping can never replace or hide the caller's result or
 * exception. Meters were resolved when the plan was built; recording is field reads and meter updates.
 */
final class ExecutionRecorder {

    /** The search-quality sampler (told every execution's time: its budget), or null; set once by {@link JdbcContext}. */
    SearchQuality quality;

    private final DpgObservability obs;
    private final StatementListener listener;
    /** The in-process per-fingerprint table (a client-side pg_stat_statements), or null when turned off. */
    private final QueryStatistics statistics;
    private final ConnectionMeters connections;
    /** Null when the catalog is never read. */
    private final VectorIndexCatalog catalog;
    private final SizeSummary[] batchSizes = new SizeSummary[QueryType.values().length];
    private final AtomicLong probes = new AtomicLong(-1);
    private volatile boolean probesRegistered;

    ExecutionRecorder(DpgObservability obs, StatementListener listener, QueryStatistics statistics,
                      ConnectionMeters connections, VectorIndexCatalog catalog) {
        this.obs = obs;
        this.listener = listener;
        this.statistics = statistics;
        this.connections = connections;
        this.catalog = catalog;
    }

    /** One successful execution; {@code updateCount} is the rows changed, or -1 when unknown. Never throws. */
    void succeeded(ExecutionPlan p, long nanos, long updateCount) {
        succeeded(p, nanos, updateCount, p.k);
    }

    /** As above, with the search's k as bound to its LIMIT placeholder ({@code k} -1 when unknown). */
    void succeeded(ExecutionPlan p, long nanos, long updateCount, int k) {
        SearchQuality quality = this.quality;
        if (quality != null) {
            quality.observed(nanos); // the shadow budget's denominator
        }
        try {
            if (p.search != null) {
                // recorded once: dpg.query.duration{vector_search} is a view of ruvector.search.latency
                p.search.record(nanos, k, -1, null); // rows are recorded when the caller is done reading
                p.query.recordSearchedElsewhere(nanos, null);
            } else {
                p.query.record(nanos, null);
                if (p.distanceFilter != null) {
                    p.distanceFilter.increment();
                }
            }
            if (p.indexOp != null) {
                if (p.countsRows) {
                    if (updateCount < 0) {
                        p.indexOp.count(null);
                    } else {
                        p.indexOp.countSuccess(updateCount);
                    }
                } else {
                    p.indexOp.record(nanos, null);
                }
            }
            if (p.setting != ExecutionPlan.SETTING_NONE) {
                applySetting(p);
            }
            if (p.refreshesCatalog) {
                catalogChanged(p);
            }
            TransactionEnd end = p.info.transactionEnd();
            if (end != TransactionEnd.NONE) {
                if (end == TransactionEnd.COMMIT) {
                    connections.committed();
                } else {
                    connections.rolledBack();
                }
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
        tell(p.info, nanos, updateCount, null);
    }

    /** One failed execution; {@code failure} is rethrown by the caller unchanged. Never throws. */
    void failed(ExecutionPlan p, long nanos, Throwable failure) {
        failed(p, nanos, failure, p.k);
    }

    /** As above, with the search's k as bound to its LIMIT placeholder. */
    void failed(ExecutionPlan p, long nanos, Throwable failure, int k) {
        SearchQuality quality = this.quality;
        if (quality != null) {
            quality.observed(nanos); // the shadow budget's denominator
        }
        try {
            if (p.search != null) {
                p.search.record(nanos, k, -1, failure);
                p.query.recordSearchedElsewhere(nanos, failure);
            } else {
                p.query.record(nanos, failure);
                if (p.distanceFilter != null) {
                    p.distanceFilter.increment();
                }
            }
            if (p.indexOp != null) {
                if (p.countsRows) {
                    p.indexOp.count(failure);
                } else {
                    p.indexOp.record(nanos, failure);
                }
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
        tell(p.info, nanos, -1, failure);
    }

    /** A prepared-statement batch of {@code size} parameter sets: one execution; {@code rows} changed (-1 on failure). */
    void batchExecuted(ExecutionPlan p, long nanos, int size, long rows, Throwable failure) {
        SearchQuality quality = this.quality;
        if (quality != null) {
            quality.observed(nanos); // the shadow budget's denominator
        }
        try {
            p.query.record(nanos, failure);
            batchSize(p.query.type()).record(size);
            if (p.indexOp != null) {
                if (p.countsRows) {
                    if (failure != null) {
                        p.indexOp.count(failure);
                    } else {
                        p.indexOp.countSuccess(rows);
                    }
                } else {
                    p.indexOp.record(nanos, failure);
                }
            }
            if (failure == null && p.refreshesCatalog) {
                catalogChanged(p);
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
        tell(p.info, nanos, failure == null ? rows : -1, failure);
    }

    /**
     * A plain-statement batch: one execution of the common query type (OTHER when the SQL kinds differ), index
     * operations counted per element. {@code counts} is null on failure.
     */
    void batchExecuted(List<ExecutionPlan> batch, long nanos, int[] counts, long[] largeCounts, Throwable failure) {
        SearchQuality quality = this.quality;
        if (quality != null) {
            quality.observed(nanos); // the shadow budget's denominator
        }
        int size = batch.size();
        try {
            QueryObserver query = size == 0 ? obs.query(QueryType.OTHER) : batch.get(0).query;
            for (int i = 1; i < size; i++) {
                if (batch.get(i).query != query) {
                    query = obs.query(QueryType.OTHER);
                    break;
                }
            }
            query.record(nanos, failure);
            batchSize(query.type()).record(size);
            for (int i = 0; i < size; i++) {
                ExecutionPlan p = batch.get(i);
                if (p.indexOp != null) {
                    if (failure != null) {
                        p.indexOp.count(failure);
                    } else if (p.countsRows) {
                        p.indexOp.countSuccess(rowsOf(counts, largeCounts, i));
                    } else {
                        p.indexOp.count(null);
                    }
                }
                if (failure == null && p.refreshesCatalog) {
                    catalogChanged(p);
                }
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
        if (listener != null || statistics != null) {
            long share = size == 0 ? nanos : nanos / size;
            for (int i = 0; i < size; i++) {
                tell(batch.get(i).info, share, failure == null ? rowsOf(counts, largeCounts, i) : -1, failure);
            }
        }
    }

    private static long rowsOf(int[] counts, long[] largeCounts, int i) {
        long c;
        if (counts != null) {
            c = i < counts.length ? counts[i] : Statement.EXECUTE_FAILED;
        } else if (largeCounts != null) {
            c = i < largeCounts.length ? largeCounts[i] : Statement.EXECUTE_FAILED;
        } else {
            return 0;
        }
        return c >= 0 ? c : c == Statement.SUCCESS_NO_INFO ? 1 : 0;
    }

    /** Rows changed by a batch: SUCCESS_NO_INFO counts as one row, EXECUTE_FAILED as none. */
    static long sum(int[] counts) {
        long n = 0;
        if (counts != null) {
            for (int c : counts) {
                n += c >= 0 ? c : c == Statement.SUCCESS_NO_INFO ? 1 : 0;
            }
        }
        return n;
    }

    static long sum(long[] counts) {
        long n = 0;
        if (counts != null) {
            for (long c : counts) {
                n += c >= 0 ? c : c == Statement.SUCCESS_NO_INFO ? 1 : 0;
            }
        }
        return n;
    }

    /** {@code dpg.batch.size{query_type}}: a size summary (count, sum, max; no clock read per record). */
    private SizeSummary batchSize(QueryType type) {
        SizeSummary s = batchSizes[type.ordinal()];
        if (s == null) {
            Tags tags = obs.commonTags().and("query_type", type.tagValue());
            s = LatencySeries.of(obs.registry()).size(BATCH_SIZE + tags, () -> SizeSummary.register(obs.registry(),
                    obs.config(), BATCH_SIZE, "Statements (rows) per executed JDBC batch", tags));
            batchSizes[type.ordinal()] = s; // benign race: the registry's table returns the same summary
        }
        return s;
    }

    private static final String BATCH_SIZE = "dpg.batch.size";

    private void applySetting(ExecutionPlan p) {
        if (p.setting == ExecutionPlan.SETTING_EF_SEARCH) {
            obs.efSearch("*", p.settingValue);
        } else {
            if (!probesRegistered) {
                Gauge.builder("ruvector.index.probes", probes, AtomicLong::doubleValue)
                        .description("IVF probes value last set (SET ivfflat.probes / ruvector.probes)")
                        .tags(obs.commonTags()).tag("collection", "*")
                        .strongReference(true)
                        .register(obs.registry());
                probesRegistered = true;
            }
            probes.set(p.settingValue);
        }
    }

    /** DDL that changes the vector indexes succeeded: a vector index built or dropped is known at once; a read is due. */
    private void catalogChanged(ExecutionPlan p) {
        if (catalog == null) {
            return;
        }
        StatementInfo info = p.info;
        if (info.queryType() == QueryType.INDEX_BUILD || info.indexOperation() == IndexOperation.BUILD) {
            catalog.learned(info.schema(), info.table(), info.indexName());
        } else if (info.indexOperation() == IndexOperation.DROP) {
            catalog.forgot(info.schema(), info.indexName());
        }
        catalog.requestRefresh();
    }

    private void tell(StatementInfo info, long nanos, long updateCount, Throwable failure) {
        if (statistics != null) {
            try {
                statistics.record(info, nanos, failure != null);
            } catch (RuntimeException ignored) {
                // bookkeeping never breaks the caller
            }
        }
        if (listener != null) {
            try {
                listener.executed(info, nanos, updateCount, failure);
            } catch (RuntimeException ignored) {
                // a listener never breaks the caller
            }
        }
    }
}
