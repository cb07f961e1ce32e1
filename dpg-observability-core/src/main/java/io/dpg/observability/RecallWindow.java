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
package io.dpg.observability;

import java.util.Arrays;

/**
 * The last {@link #SIZE} recall measurements of one observer, plus lifetime count and sum.
 *
 * <p>Design notes: recall is measured a few times a minute (it costs an exact search), so a monitor over a
 * small ring is simpler and cheaper than a lock-free structure; no search execution ever touches it.
 */
final class RecallWindow {

    static final int SIZE = 128;

    private final double[] ring = new double[SIZE];
    private int next;
    private int filled;
    private long count;
    private double sum;

    synchronized void add(double recall) {
        ring[next] = recall;
        next = (next + 1) % SIZE;
        if (filled < SIZE) {
            filled++;
        }
        count++;
        sum += recall;
    }

    synchronized RecallSnapshot snapshot() {
        if (filled == 0) {
            return new RecallSnapshot(0, Double.NaN, 0, Double.NaN, Double.NaN);
        }
        double[] sorted = Arrays.copyOf(ring, filled);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(0.10 * filled) - 1;
        return new RecallSnapshot(count, sum / count, filled, sorted[Math.max(0, rank)], sorted[0]);
    }
}
