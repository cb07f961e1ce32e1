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

/**
 * How a writer of a striped structure ({@link LatencyHistogram}, {@link SizeSummary}, the jdbc module's per-statement
 * histograms) picks its stripe, in one place so that every striped structure spreads its writers the same way.
 *
 * <p>Design notes. The stripe is a Fibonacci hash of the thread id plus the structure's {@code salt}, its top
 * bits taken (as many as the stripe count needs; none for one stripe). The thread id alone ({@code id & mask}) is
 * not enough: two busy threads whose ids have the same parity share one of the default 2 stripes for as long as
 * they live ({@code StripesTest}), and two writers on one stripe pay about 84 ns a record instead of about 15 (JMH
 * {@code PercentileRecordBenchmark}, 2 threads, {@code ours_histogram_1_stripe} against {@code ours_histogram}).
 * So a writer that sees another writer on its stripe (its CAS lost) calls {@link #collided}: the salt moves and
 * every thread of that structure maps afresh on its next record, until the busy ones sit apart. The salt is a
 * plain int of the structure, racy by design: a lost bump only delays the move, and each record's atomic
 * operations keep the JIT from hoisting its read out of a caller's loop. The hash costs a multiply and two shifts;
 * no thread-local, no allocation.
 */
public final class Stripes {

    private static final int PHI = 0x9E3779B9; // 2^32 / golden ratio: consecutive ids spread over the top bits

    private Stripes() {
    }

    /** The stripe, in {@code [0, mask]}, that the calling thread writes under {@code salt}; mask is 2^k - 1. */
    @SuppressWarnings("deprecation") // Thread.getId: the replacement threadId() needs Java 19
    public static int index(int salt, int mask) {
        return index(Thread.currentThread().getId(), salt, mask);
    }

    /** The stripe that the thread with id {@code threadId} writes under {@code salt}. */
    public static int index(long threadId, int salt, int mask) {
        // the top bits of the product: the ones Fibonacci hashing spreads best (bit 28 alone, the lowest of the
        // top four, put ids 1 apart on one of 2 stripes for 89 % of salts; the top bit, for 24 %)
        return ((((int) threadId + salt) * PHI) >>> Integer.numberOfLeadingZeros(mask)) & mask;
    }

    /** The salt to use after a writer met another on its stripe. */
    public static int collided(int salt) {
        return salt + 1;
    }
}
