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
package io.dpg.observability.benchmarks.stub;

import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts calls that reached a method the stub driver does not implement. A peer that calls one and swallows
 * the exception would be measured paying for an exception no real driver throws, so the benchmarks print
 * {@link #unsupportedCalls()} after each trial and such a method gets a real stub implementation.
 */
public final class StubCalls {

    private static final Map<String, LongAdder> UNSUPPORTED = new ConcurrentHashMap<>();

    private StubCalls() {
    }

    static SQLFeatureNotSupportedException unsupportedSql(String method) {
        UNSUPPORTED.computeIfAbsent(method, k -> new LongAdder()).increment();
        return new SQLFeatureNotSupportedException("stub driver: " + method);
    }

    static UnsupportedOperationException unsupported(String method) {
        UNSUPPORTED.computeIfAbsent(method, k -> new LongAdder()).increment();
        return new UnsupportedOperationException("stub driver: " + method);
    }

    /** Unimplemented methods called so far, with counts (empty when none). */
    public static Map<String, Long> unsupportedCalls() {
        Map<String, Long> out = new TreeMap<>();
        UNSUPPORTED.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
