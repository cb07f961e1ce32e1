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
package io.dpg.observability;

import io.dpg.observability.internal.LatencyHistogram;
import io.dpg.observability.internal.LatencyRecorder;
import io.dpg.observability.internal.LatencyRecorders;
import io.dpg.observability.internal.LatencySeries;
import io.dpg.observability.internal.SizeSummary;
import io.dpg.observability.internal.TagValueLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The entry point: built once from a {@link MeterRegistry} and an {@link ObservabilityConfig}, it hands out
 * pre-resolved observers whose recording paths allocate nothing, take no lock and never throw.
 *
 * <pre>{@code
 * DpgObservability obs = DpgObservability.create(registry,
 *         ObservabilityConfig.builder().application("search-api").build());
 * VectorSearchObserver search = obs.vectorSearch("documents", DistanceMetric.COSINE);
 * List<Doc> hits = search.observe(10, () -> repository.nearest(embedding, 10));
 * }</pre>
 *
 * <p>Observers are cached: asking twice for the same collection and metric returns the same instance, so
 * holding one in a field and asking each time are both fine. Tag values pass a per-key cap
 * ({@link ObservabilityConfig#maxTagValues()}); values past it become {@code other}.
 */
public final class DpgObservability {

    private final MeterRegistry registry;
    private final ObservabilityConfig config;
    private final Tags commonTags;
    private final TagValueLimiter collections;
    private final TagValueLimiter tables;
    private final ConcurrentHashMap<String, VectorSearchObserver[]> searchObservers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, IndexOperationObserver[]> indexObservers = new ConcurrentHashMap<>();
    private final QueryObserver[] queryObservers = new QueryObserver[QueryType.values().length];
    private final ConcurrentHashMap<String, QueryObserver[]> tableQueryObservers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LatencyRecorder> latencyRecorders = new ConcurrentHashMap<>();
    private final LatencyHistogram.Layout layout;
    /** Latency series of the registry, shared with any other instance on it. */
    private final LatencySeries series;
    private final ConcurrentHashMap<String, AtomicLong> efSearch = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TagValueLimiter> limiters = new ConcurrentHashMap<>();

    private DpgObservability(MeterRegistry registry, ObservabilityConfig config) {
        this.registry = registry;
        this.config = config;
        this.commonTags = config.commonTags();
        this.collections = limiter("collection");
        this.tables = limiter("table");
        this.series = LatencySeries.of(registry);
        this.layout = LatencyHistogram.Layout.of(config.percentileMaxValue(),
                config.histogramBuckets() ? config.bucketBoundaries() : new java.time.Duration[0]);
    }

    /** An instance with {@link ObservabilityConfig#defaults()}. */
    public static DpgObservability create(MeterRegistry registry) {
        return create(registry, ObservabilityConfig.defaults());
    }

    public static DpgObservability create(MeterRegistry registry, ObservabilityConfig config) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(config, "config");
        return new DpgObservability(registry, config);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public ObservabilityConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- vector search and index operations

    /** The observer of searches on {@code collection} (a table, an index, a remote collection) by {@code metric}. */
    public VectorSearchObserver vectorSearch(String collection, DistanceMetric metric) {
        Objects.requireNonNull(metric, "metric");
        String key = collections.limit(collection);
        VectorSearchObserver[] byMetric = searchObservers.get(key);
        if (byMetric == null) {
            byMetric = searchObservers.computeIfAbsent(key, k -> new VectorSearchObserver[DistanceMetric.values().length]);
        }
        VectorSearchObserver observer = byMetric[metric.ordinal()];
        if (observer == null) {
            synchronized (byMetric) {
                observer = byMetric[metric.ordinal()];
                if (observer == null) {
                    observer = new VectorSearchObserver(this, key, metric);
                    byMetric[metric.ordinal()] = observer;
                }
            }
        }
        return observer;
    }

    /** The observer of {@code operation} on the vector index(es) of {@code collection}. */
    public IndexOperationObserver indexOperation(String collection, IndexOperation operation) {
        Objects.requireNonNull(operation, "operation");
        String key = collections.limit(collection);
        IndexOperationObserver[] byOp = indexObservers.get(key);
        if (byOp == null) {
            byOp = indexObservers.computeIfAbsent(key, k -> new IndexOperationObserver[IndexOperation.values().length]);
        }
        IndexOperationObserver observer = byOp[operation.ordinal()];
        if (observer == null) {
            synchronized (byOp) {
                observer = byOp[operation.ordinal()];
                if (observer == null) {
                    observer = new IndexOperationObserver(this, key, operation);
                    byOp[operation.ordinal()] = observer;
                }
            }
        }
        return observer;
    }

    /**
     * Sets the {@code ef_search} (or probes) value in effect for {@code collection}, published as the gauge
     * {@code ruvector.index.ef_search}. Use {@code "*"} for a session-wide setting.
     */
    public void efSearch(String collection, long value) {
        try {
            String key = collections.limit(collection);
            AtomicLong holder = efSearch.get(key);
            if (holder == null) {
                holder = efSearch.computeIfAbsent(key, k -> {
                    AtomicLong h = new AtomicLong();
                    Gauge.builder("ruvector.index.ef_search", h, AtomicLong::doubleValue)
                            .description("HNSW ef_search (or IVF probes) value last set for the collection")
                            .tags(commonTags).tag("collection", k)
                            .register(registry);
                    return h;
                });
            }
            holder.set(value);
        } catch (RuntimeException ignored) {
            // never break the caller
        }
    }

    /** The ef_search value last set for {@code collection}, or -1. */
    public long efSearch(String collection) {
        AtomicLong holder = efSearch.get(collections.limit(collection));
        return holder == null ? -1 : holder.get();
    }

    /** Registers {@code ruvector.index.size{schema,table,index,method}} in bytes, read from {@code bytes}. */
    public void registerIndexSize(String schema, String table, String index, String method,
                                  Supplier<? extends Number> bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Gauge.builder("ruvector.index.size", bytes)
                .description("Size of a vector index on disk")
                .baseUnit("bytes")
                .tags(commonTags)
                .tag("schema", tagValue("schema", schema)).tag("table", tables.limit(table))
                .tag("index", tagValue("index", index)).tag("method", tagValue("method", method))
                .register(registry);
    }

    /** Registers {@code ruvector.vector.count{schema,table}}, read from {@code count}. */
    public void registerVectorCount(String schema, String table, Supplier<? extends Number> count) {
        Objects.requireNonNull(count, "count");
        Gauge.builder("ruvector.vector.count", count)
                .description("Number of vectors (rows) in a table that carries a vector index")
                .tags(commonTags)
                .tag("schema", tagValue("schema", schema)).tag("table", tables.limit(table))
                .register(registry);
    }

    /**
     * Registers {@code ruvector.index.parameter{schema,table,index,parameter}}, for build parameters such as
     * {@code m}, {@code ef_construction} or {@code lists}.
     */
    public void registerIndexParameter(String schema, String table, String index, String parameter,
                                       Supplier<? extends Number> value) {
        Objects.requireNonNull(value, "value");
        Gauge.builder("ruvector.index.parameter", value)
                .description("A build parameter of a vector index (m, ef_construction, lists)")
                .tags(commonTags)
                .tag("schema", tagValue("schema", schema)).tag("table", tables.limit(table))
                .tag("index", tagValue("index", index)).tag("parameter", tagValue("parameter", parameter))
                .register(registry);
    }

    // ---------------------------------------------------------------- SQL statements

    /** The observer of {@code dpg.query.duration} for one statement kind. */
    public QueryObserver query(QueryType type) {
        Objects.requireNonNull(type, "type");
        QueryObserver observer = queryObservers[type.ordinal()];
        if (observer == null) {
            synchronized (queryObservers) {
                observer = queryObservers[type.ordinal()];
                if (observer == null) {
                    observer = new QueryObserver(this, type, null);
                    queryObservers[type.ordinal()] = observer;
                }
            }
        }
        return observer;
    }

    /**
     * The observer for one statement kind on one table. Under the default naming this is {@link #query(QueryType)}
     * (the table is not a tag of {@code dpg.query.duration}); under OpenTelemetry naming the table becomes
     * {@code db.collection.name}, capped like every other tag.
     */
    public QueryObserver query(QueryType type, String table) {
        Objects.requireNonNull(type, "type");
        if (!config.naming().openTelemetry()) {
            return query(type);
        }
        String key = table == null ? "" : tables.limit(table);
        QueryObserver[] byType = tableQueryObservers.get(key);
        if (byType == null) {
            byType = tableQueryObservers.computeIfAbsent(key, k -> new QueryObserver[QueryType.values().length]);
        }
        QueryObserver observer = byType[type.ordinal()];
        if (observer == null) {
            synchronized (byType) {
                observer = byType[type.ordinal()];
                if (observer == null) {
                    observer = new QueryObserver(this, type, key.isEmpty() ? null : key);
                    byType[type.ordinal()] = observer;
                }
            }
        }
        return observer;
    }

    // ---------------------------------------------------------------- annotations

    /**
     * Returns an instance of {@code type} that delegates to {@code target} and observes the methods annotated
     * with {@link io.dpg.observability.annotation.ObservedVectorSearch},
     * {@link io.dpg.observability.annotation.ObservedIndexOperation}, or Micrometer's {@code @Timed} /
     * {@code @Counted}. Metadata is resolved here, once.
     */
    public <T> T instrument(Class<T> type, T target) {
        return ObservedProxyFactory.create(this, type, target);
    }

    // ---------------------------------------------------------------- snapshots

    /** Snapshots of every latency series this instance records, sorted by name then tags. */
    public List<LatencySnapshot> snapshots() {
        List<LatencySnapshot> out = new ArrayList<>(latencyRecorders.size());
        for (LatencyRecorder r : latencyRecorders.values()) {
            out.add(r.snapshot());
        }
        out.sort(Comparator.comparing(LatencySnapshot::name).thenComparing(s -> s.tags().toString()));
        return Collections.unmodifiableList(out);
    }

    /** Snapshots of the series named {@code name}. */
    public List<LatencySnapshot> snapshots(String name) {
        List<LatencySnapshot> out = new ArrayList<>();
        for (LatencySnapshot s : snapshots()) {
            if (s.name().equals(name)) {
                out.add(s);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- for the observers and our other modules

    static {
        // the JDBC module's connection meters reach latencyRecorder through this (internal) door, not a public method
        LatencyRecorders.install((obs, name, description, tags) -> obs.latencyRecorder(name, description, tags));
    }

    /**
     * The latency series {@code name} with {@code tags} (common tags are added), created on first use. The
     * observers of this package call it; this library's other modules reach it through {@link LatencyRecorders}
     * (internal); applications use the observers.
     */
    LatencyRecorder latencyRecorder(String name, String description, Tags tags) {
        return latencyRecorder(name, description, tags, null);
    }

    /**
     * The view {@code dpg.query.duration{query_type="vector_search",status}}: its own recordings (a direct
     * {@link QueryObserver#record}) merged at read time with every {@code ruvector.search.latency} series of the
     * same outcome, so a vector search is recorded once and seen in both.
     */
    LatencyRecorder vectorSearchQueryView(String description, Tags tags, Outcome outcome) {
        List<LatencyRecorder> sources = outcome == Outcome.SUCCESS ? series.searchSuccess : series.searchError;
        return latencyRecorder("dpg.query.duration", description, tags, () -> sources);
    }

    private LatencyRecorder latencyRecorder(String name, String description, Tags tags,
                                            Supplier<List<LatencyRecorder>> sources) {
        Tags all = commonTags.and(tags);
        String key = name + all;
        LatencyRecorder r = latencyRecorders.get(key);
        if (r == null) {
            r = latencyRecorders.computeIfAbsent(key, k -> series.get(k, () -> {
                LatencyRecorder created = LatencyRecorder.register(registry, config, layout, name, description, all,
                        sources);
                if (name.equals(VectorSearchObserver.LATENCY)) {
                    String outcome = all.stream().filter(t -> t.getKey().equals("outcome")).map(t -> t.getValue())
                            .findFirst().orElse("");
                    (outcome.equals(Outcome.SUCCESS.tagValue()) ? series.searchSuccess : series.searchError)
                            .add(created);
                }
                return created;
            }));
        }
        return r;
    }

    /**
     * The size summary {@code name} with {@code tags} (common tags added), created on first use and shared, per
     * registry, by every caller asking for the same name and tags.
     */
    SizeSummary sizeSummary(String name, String description, Tags tags) {
        Tags all = commonTags.and(tags);
        return series.size(name + all, () -> SizeSummary.register(registry, config, name, description, all));
    }

    /** A counter with the common tags added. */
    public Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(commonTags).tags(tags).register(registry);
    }

    /** Caps a tag value for {@code key} (shared cap per key across this instance). */
    public String tagValue(String key, String value) {
        TagValueLimiter l = limiters.get(key);
        if (l == null) {
            l = limiter(key);
        }
        return l.limit(value);
    }

    private TagValueLimiter limiter(String key) {
        return limiters.computeIfAbsent(key, k -> new TagValueLimiter(k, config.maxTagValues(), registry, commonTags));
    }

    /** Common tags of this instance. */
    public Tags commonTags() {
        return commonTags;
    }
}
