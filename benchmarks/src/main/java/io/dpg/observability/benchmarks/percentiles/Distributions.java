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
package io.dpg.observability.benchmarks.percentiles;

import java.util.SplittableRandom;

/** Seeded latency samples in nanoseconds. */
final class Distributions {

    private Distributions() {
    }

    /** Lognormal with the given median (ns) and sigma of the underlying normal. */
    static long[] lognormal(SplittableRandom random, int n, double medianNanos, double sigma) {
        long[] out = new long[n];
        double mu = Math.log(medianNanos);
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(1, Math.round(Math.exp(mu + sigma * gaussian(random))));
        }
        return out;
    }

    /**
     * Two modes: 90 % fast (lognormal, median 1 ms, sigma 0.2: cache hits) and 10 % slow (median 30 ms,
     * sigma 0.3: misses), shuffled together.
     */
    static long[] bimodal(SplittableRandom random, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            boolean slow = random.nextDouble() < 0.10;
            double mu = Math.log(slow ? 30_000_000 : 1_000_000);
            double sigma = slow ? 0.3 : 0.2;
            out[i] = Math.max(1, Math.round(Math.exp(mu + sigma * gaussian(random))));
        }
        return out;
    }

    /** Pareto (heavy tail): scale {@code minNanos}, shape {@code alpha}; values capped at {@code capNanos}. */
    static long[] pareto(SplittableRandom random, int n, double minNanos, double alpha, long capNanos) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            double u = 1.0 - random.nextDouble(); // (0, 1]
            double v = minNanos / Math.pow(u, 1.0 / alpha);
            out[i] = Math.min(capNanos, Math.round(v));
        }
        return out;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
