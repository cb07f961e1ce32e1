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
import java.lang.management.ThreadMXBean;

/**
 * Liveness: no threads are deadlocked on monitors or {@code java.util.concurrent} locks. {@code DOWN} with
 * {@code deadlockedThreads} (a count; thread names are not shown) when some are: such a process does not
 * recover by itself.
 */
public final class DeadlockHealthCheck implements HealthCheck {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** Also {@code HealthChecks.deadlocks()}. */
    public DeadlockHealthCheck() {
    }

    @Override
    public HealthCheckResponse check() {
        long[] ids = threads.isSynchronizerUsageSupported()
                ? threads.findDeadlockedThreads() : threads.findMonitorDeadlockedThreads();
        int count = ids == null ? 0 : ids.length;
        HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(count == 0)
                .withData("deadlockedThreads", count);
        if (count > 0) {
            b.withData("reason", "threads_deadlocked");
        }
        return b.build();
    }
}
