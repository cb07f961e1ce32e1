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

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded cache keyed by SQL text: the one place where per-SQL results (the wrapper's execution plans) are kept.
 *
 * <p>Design notes: two generations of {@link ConcurrentHashMap}. A lookup reads the young one, then the old one
 * (and promotes a hit); a value is inserted into the young generation. When the young generation reaches half the
 * capacity it becomes the old one and the previous old one is dropped, so the cache never holds more than
 * {@code capacity} entries and entries in use keep getting promoted (an approximate LRU with O(1) eviction). Hits
 * in the young generation take no lock and allocate nothing; inserts and promotions take a short lock. SQL longer
 * than {@link #MAX_SQL_LENGTH} characters is never cached, so keys cost at most {@code capacity * 8 KiB}.
 *
 * @param <V> what is cached per SQL text
 */
public final class SqlCache<V> {

    /** SQL longer than this many characters is never cached. */
    public static final int MAX_SQL_LENGTH = 8 * 1024;

    private final int capacity;
    private final int generationSize;
    private final Object rotateLock = new Object();
    private volatile Map<String, V> young;
    private volatile Map<String, V> old;

    /** @throws IllegalArgumentException when {@code capacity} is negative (0 caches nothing) */
    public SqlCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity: must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.generationSize = capacity >= 2 ? capacity / 2 : capacity;
        this.young = new ConcurrentHashMap<>();
        this.old = Map.of();
    }

    /** True when {@code sql} can be cached at all (not null, not empty, not over-long, capacity above 0). */
    public boolean caches(String sql) {
        return capacity > 0 && sql != null && !sql.isEmpty() && sql.length() <= MAX_SQL_LENGTH;
    }

    /** The value cached for {@code sql}, or null; a hit in the old generation is promoted. */
    public V get(String sql) {
        if (!caches(sql)) {
            return null;
        }
        V value = young.get(sql);
        if (value != null) {
            return value;
        }
        value = old.get(sql);
        if (value != null) {
            insert(sql, value, false);
        }
        return value;
    }

    /** Caches {@code value} for {@code sql}, replacing what was cached; does nothing when {@code sql} is not cached. */
    public void put(String sql, V value) {
        if (value != null && caches(sql)) {
            insert(sql, value, true);
        }
    }

    private void insert(String sql, V value, boolean replace) {
        synchronized (rotateLock) {
            Map<String, V> y = young;
            if (y.size() >= generationSize) {
                old = capacity >= 2 ? y : Map.of();
                y = new ConcurrentHashMap<>(Math.max(16, generationSize * 4 / 3 + 1));
                young = y;
            }
            if (replace) {
                y.put(sql, value);
            } else {
                y.putIfAbsent(sql, value);
            }
        }
    }

    /** Capacity given at construction. */
    public int capacity() {
        return capacity;
    }

    /** Entries held now (never more than {@link #capacity()}). */
    public int size() {
        synchronized (rotateLock) {
            return young.size() + old.size();
        }
    }
}
