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
package io.dpg.observability.health.checks;

import io.dpg.observability.health.HealthCheck;
import io.dpg.observability.health.HealthCheckResponse;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Liveness: the heap still has room after garbage collection. {@code DOWN} when the heap used after the last
 * collection exceeds {@code maxUsedRatio} of the maximum (the process is thrashing towards
 * {@link OutOfMemoryError}); live heap that garbage will free does not count. Data also carries the resource
 * usage the seed stack showed: {@code uptimeMs}, {@code heapUsedBytes}, {@code heapMaxBytes},
 * {@code heapUsedAfterGcRatio}, {@code threads}, {@code processCpuLoad}, {@code systemLoadAverage},
 * {@code availableProcessors}. No external system is touched.
 */
public final class JvmHealthCheck implements HealthCheck {

    private final double maxUsedRatio;
    private final List<MemoryPoolMXBean> heapPools;
    private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

    public JvmHealthCheck(double maxUsedRatio) {
        if (!(maxUsedRatio > 0 && maxUsedRatio <= 1)) {
            throw new IllegalArgumentException("maxUsedRatio: must be in (0, 1], got " + maxUsedRatio);
        }
        this.maxUsedRatio = maxUsedRatio;
        this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
    }

    @Override
    public HealthCheckResponse check() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        long usedAfterGc = 0;
        boolean anyCollectionUsage = false;
        for (MemoryPoolMXBean p : heapPools) {
            MemoryUsage after = p.isCollectionUsageThresholdSupported() ? p.getCollectionUsage() : null;
            if (after != null) {
                usedAfterGc += after.getUsed();
                anyCollectionUsage = true;
            } else {
                usedAfterGc += p.getUsage().getUsed();
            }
        }
        if (!anyCollectionUsage) {
            usedAfterGc = heap.getUsed();
        }
        double ratio = max > 0 ? (double) usedAfterGc / max : 0.0;
        HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(ratio <= maxUsedRatio)
                .withData("uptimeMs", runtime.getUptime())
                .withData("heapUsedBytes", heap.getUsed())
                .withData("heapMaxBytes", max)
                .withData("heapUsedAfterGcRatio", Math.round(ratio * 10_000) / 10_000.0)
                .withData("threads", threads.getThreadCount())
                .withData("availableProcessors", os.getAvailableProcessors())
                .withData("systemLoadAverage", os.getSystemLoadAverage());
        if (os instanceof com.sun.management.OperatingSystemMXBean sunOs) {
            b.withData("processCpuLoad", sunOs.getProcessCpuLoad());
        }
        if (ratio > maxUsedRatio) {
            b.withData("reason", "heap_exhausted").withData("maxUsedRatio", maxUsedRatio);
        }
        return b.build();
    }
}
