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
package io.dpg.observability.internal;

import io.micrometer.core.instrument.MeterRegistry;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The latency series of one {@link MeterRegistry}, shared by every {@code DpgObservability} built on it: asking
 * twice for a series of the same name and tags returns the same {@link LatencyRecorder} (or {@link SizeSummary}),
 * as Micrometer returns the same meter (the first registration's settings win). Also holds, per registry, the vector-search series that the
 * {@code dpg.query.duration{query_type="vector_search"}} views read. Used when series are created, never on a
 * recording path.
 */
public final class LatencySeries {

    /**
     * Weak both ways: the registry reaches its series through the gauges of each series (registered with a strong
     * reference to their recorder, which points back here), so a dropped registry frees its series at once, even
     * if this map is never touched again.
     */
    private static final Map<MeterRegistry, WeakReference<LatencySeries>> BY_REGISTRY = new WeakHashMap<>();

    private final ConcurrentHashMap<String, LatencyRecorder> recorders = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SizeSummary> sizes = new ConcurrentHashMap<>();
    /** ruvector.search.latency series by outcome. */
    public final List<LatencyRecorder> searchSuccess = new CopyOnWriteArrayList<>();
    public final List<LatencyRecorder> searchError = new CopyOnWriteArrayList<>();

    private LatencySeries() {
    }

    public static LatencySeries of(MeterRegistry registry) {
        synchronized (BY_REGISTRY) {
            WeakReference<LatencySeries> ref = BY_REGISTRY.get(registry);
            LatencySeries s = ref == null ? null : ref.get();
            if (s == null) {
                s = new LatencySeries();
                BY_REGISTRY.put(registry, new WeakReference<>(s));
            }
            return s;
        }
    }

    /** Every latency series of this registry (for tests and tools; not a recording path). */
    public java.util.Collection<LatencyRecorder> all() {
        return java.util.Collections.unmodifiableCollection(recorders.values());
    }

    /** Every size summary of this registry (for tests and tools; not a recording path). */
    public java.util.Collection<SizeSummary> allSizes() {
        return java.util.Collections.unmodifiableCollection(sizes.values());
    }

    /** The size summary {@code key} of this registry, created by {@code create} on first use. */
    public SizeSummary size(String key, Supplier<SizeSummary> create) {
        SizeSummary s = sizes.get(key);
        return s != null ? s : sizes.computeIfAbsent(key, k -> create.get().ownedBy(this));
    }

    /** The series {@code key} of this registry, created by {@code create} on first use. */
    public LatencyRecorder get(String key, Supplier<LatencyRecorder> create) {
        LatencyRecorder r = recorders.get(key);
        return r != null ? r : recorders.computeIfAbsent(key, k -> create.get().ownedBy(this));
    }
}
