package io.dpg.observability.internal;

import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Builds the {@link NativeHistogramBuckets} of a scrape without the cost of the public factory.
 *
 * <p>Design notes. {@code NativeHistogramBuckets.of(int[], long[])} copies both arrays and sorts them; in
 * prometheus-metrics-model 1.7 that sort (an introsort that falls back to heapsort on sorted input) costs about
 * 40 µs for the 640 buckets of a series spread over three decades, which made it the largest single cost of a
 * protobuf scrape of 1,000 series (about 40 ms). Our indexes come out of {@link LatencyHistogram#exposition}
 * ascending, distinct and with positive counts, and the arrays are fresh per scrape: exactly what the class's
 * private constructor stores after {@code of} has copied, sorted and validated. So the constructor is looked up
 * once, here, through a private lookup; where that is not possible (another client version without it, or a
 * module system that does not open the package) {@code of} is used, which gives the same buckets. No reflection
 * runs per call: the handle is a constant the JIT inlines.
 */
final class PrometheusNativeBuckets {

    private static final MethodHandle CONSTRUCTOR = constructor();

    private PrometheusNativeBuckets() {
    }

    private static MethodHandle constructor() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(NativeHistogramBuckets.class,
                    MethodHandles.lookup());
            return lookup.findConstructor(NativeHistogramBuckets.class,
                    MethodType.methodType(void.class, int[].class, long[].class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Whether buckets are built without the public factory's copy and sort (for tests). */
    static boolean direct() {
        return CONSTRUCTOR != null;
    }

    /**
     * Buckets of {@code indexes} (ascending, distinct) with {@code counts} (positive), both handed over: the caller
     * must not touch them afterwards.
     */
    static NativeHistogramBuckets of(int[] indexes, long[] counts) {
        if (CONSTRUCTOR != null && indexes.length == counts.length) {
            try {
                return (NativeHistogramBuckets) CONSTRUCTOR.invokeExact(indexes, counts);
            } catch (Error e) {
                throw e;
            } catch (Throwable fallBack) {
                // the constructor refused: the public factory below validates and sorts
            }
        }
        return NativeHistogramBuckets.of(indexes, counts);
    }
}
