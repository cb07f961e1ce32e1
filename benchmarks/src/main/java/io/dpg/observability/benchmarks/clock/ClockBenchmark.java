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
package io.dpg.observability.benchmarks.clock;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The floor under any per-call latency measurement on this machine: what the clock reads cost.
 *
 * <p>Timing one call takes two {@link System#nanoTime()} reads (ours and every peer's). A Micrometer
 * {@code Timer} also reads the wall clock ({@link System#currentTimeMillis()}) on every record, once to rotate
 * its windowed max and, with histogram buckets, once more to rotate the histogram. On a virtual machine whose
 * clock source is {@code kvm-clock} or {@code xen} these reads are far dearer than on bare metal, and they
 * explain most of the gap between "nothing" and "a timed call" in the other benchmarks of the same run.
 *
 * <p>Each method here is the floor of one goal in {@code docs/PERFORMANCE.md}: {@link #nanoTimePair} under any
 * timed statement (a vector search included), {@link #nanoTimeTriple} under a checkout.
 * Run with {@code -t 2} as well: the reads are per core, so two threads should each pay what one pays.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class ClockBenchmark {

    /** The harness floor. */
    @Benchmark
    public void baseline() {
        // empty on purpose
    }

    /** Two monotonic reads, as around any timed call. */
    @Benchmark
    public long nanoTimePair() {
        long start = System.nanoTime();
        return System.nanoTime() - start;
    }

    /** One wall-clock read, as in each rotation check of a Micrometer timer. */
    @Benchmark
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    /**
     * The reads of one checkout ({@code getConnection()} + {@code close()}): before and after the driver's
     * {@code getConnection}, and at {@code close}; the acquire time and the hold time share the middle read.
     */
    @Benchmark
    public long nanoTimeTriple() {
        long start = System.nanoTime();
        long acquired = System.nanoTime();
        return (acquired - start) + (System.nanoTime() - acquired);
    }
}
