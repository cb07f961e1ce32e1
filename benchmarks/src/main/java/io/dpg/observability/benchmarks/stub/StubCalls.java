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
