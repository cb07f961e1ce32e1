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
package io.dpg.observability.testsupport;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongUnaryOperator;

/**
 * Two threads that start on one stripe of a striped structure record into it at once until they sit on
 * different stripes or a minute passes (test support for every striped structure: {@code StripesTest} here, the
 * jdbc module's per-statement histograms through the test-jar; a package of its own, as the module path wants).
 */
public final class TwoWriters {

    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** What a run ended with: whether the writers ended apart, and how many samples they wrote in all. */
    public record Outcome(boolean apart, long written) {
    }

    private TwoWriters() {
    }

    /**
     * @param record      one sample into the structure
     * @param stripeOf    the stripe a thread id writes now
     * @param startStripe the stripe a thread id will write first (for a structure that grows its stripes, where
     *                    {@code stripeOf} is not yet telling); the two writers share it
     */
    public static Outcome run(LongConsumer record, LongUnaryOperator stripeOf, LongUnaryOperator startStripe)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        CyclicBarrier go = new CyclicBarrier(2);
        Runnable writer = () -> {
            try {
                go.await();
            } catch (Exception e) {
                return;
            }
            long n = 0;
            while (!stop.get()) {
                for (int i = 0; i < 1_000; i++) {
                    record.accept(1_000 + (i & 7)); // few buckets: the writers race on the same counters
                }
                n += 1_000;
            }
            written.addAndGet(n);
        };
        Thread first = new Thread(writer);
        Thread second = new Thread(writer);
        while (startStripe.applyAsLong(second.getId()) != startStripe.applyAsLong(first.getId())) {
            second = new Thread(writer); // ids are consecutive: a pair on one stripe comes within a few
        }
        first.start();
        second.start();
        long begin = System.nanoTime();
        boolean apart = false;
        while (!apart && System.nanoTime() - begin < DEADLINE_NANOS) {
            Thread.sleep(1);
            apart = stripeOf.applyAsLong(first.getId()) != stripeOf.applyAsLong(second.getId());
        }
        stop.set(true);
        first.join();
        second.join();
        return new Outcome(apart, written.get());
    }
}
