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

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the number of distinct values of one tag key. The first {@code max} distinct values pass; any further
 * value becomes {@value #OVERFLOW} and is counted on {@code dpg.observability.tag.overflow{tag=key}}.
 * {@code null} and empty values become {@value #UNKNOWN}.
 *
 * <p>Lookups of admitted values are one {@link ConcurrentHashMap#get}; admission happens once per distinct
 * value, when a recorder is resolved, never per recorded sample.
 */
public final class TagValueLimiter {

    public static final String OVERFLOW = "other";
    public static final String UNKNOWN = "unknown";
    /** Longest tag value kept; longer values are truncated (a guard against pathological identifiers). */
    public static final int MAX_LENGTH = 128;

    private final int max;
    private final ConcurrentHashMap<String, String> admitted = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Counter overflow;

    public TagValueLimiter(String tagKey, int max, MeterRegistry registry, Tags commonTags) {
        this.max = max;
        this.overflow = Counter.builder("dpg.observability.tag.overflow")
                .description("Tag values replaced by 'other' because the tag reached its cap of distinct values")
                .tags(commonTags).tag("tag", tagKey)
                .register(registry);
    }

    /** The value to use as the tag: {@code value} itself, truncated, or {@code other} past the cap. */
    public String limit(String value) {
        if (value == null || value.isEmpty()) {
            return UNKNOWN;
        }
        String known = admitted.get(value);
        if (known != null) {
            return known;
        }
        while (true) {
            int n = size.get();
            if (n >= max) {
                overflow.increment();
                return OVERFLOW;
            }
            if (size.compareAndSet(n, n + 1)) {
                String kept = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
                String prior = admitted.putIfAbsent(value, kept);
                if (prior != null) {
                    size.decrementAndGet();
                    return prior;
                }
                return kept;
            }
        }
    }

    public int size() {
        return size.get();
    }
}
