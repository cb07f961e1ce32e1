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

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentRecordingTest {

    @Test
    void manyThreadsRecordingGiveExactTotals() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DpgObservability obs = DpgObservability.create(registry);
        int threads = 8;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            futures.add(pool.submit(() -> {
                start.await();
                VectorSearchObserver s = obs.vectorSearch("c" + (id % 2), DistanceMetric.COSINE);
                QueryObserver q = obs.query(QueryType.VECTOR_SEARCH);
                for (int i = 0; i < perThread; i++) {
                    s.record(1_000 + i, 10, 10, null);
                    q.record(1_000 + i, (i % 10 == 0) ? new java.sql.SQLException("x", "57014") : null);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        long searches = registry.find("ruvector.search.latency").tag("outcome", "success").functionTimers()
                .stream().mapToLong(t -> (long) t.count()).sum();
        assertThat(searches).isEqualTo((long) threads * perThread);
        assertThat((long) registry.get("dpg.query.duration").tag("status", "error").functionTimer().count())
                .isEqualTo((long) threads * perThread / 10);
        assertThat(registry.get("dpg.query.errors").tag("error_type", "timeout").counter().count())
                .isEqualTo(threads * perThread / 10.0);
        long windowCount = obs.snapshots("ruvector.search.latency").stream()
                .filter(s -> "success".equals(s.tag("outcome"))).mapToLong(LatencySnapshot::windowCount).sum();
        assertThat(windowCount).isEqualTo((long) threads * perThread);
    }
}
