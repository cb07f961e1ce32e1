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
package io.dpg.observability.health;

import io.dpg.observability.health.checks.DeadlockHealthCheck;
import io.dpg.observability.health.checks.DiskSpaceHealthCheck;
import io.dpg.observability.health.checks.JvmHealthCheck;
import io.dpg.observability.health.checks.StartupHealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BuiltInChecksTest {

    @Test
    void startupCheckIsDownUntilMarkedStarted() {
        StartupHealthCheck startup = HealthChecks.startup();
        assertThat(startup.check().status()).isEqualTo(HealthStatus.DOWN);

        startup.markStarted();

        assertThat(startup.check().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void jvmCheckReportsResourceUsageInData() {
        HealthCheckResponse r = HealthChecks.jvm().check();

        assertThat(r.isUp()).isTrue();
        assertThat(r.data()).containsKeys("uptimeMs", "heapUsedBytes", "heapMaxBytes", "threads", "processCpuLoad");
    }

    @Test
    void jvmCheckIsDownWhenHeapAfterGcExceedsTheRatio() {
        HealthCheckResponse r = new JvmHealthCheck(Double.MIN_VALUE).check();

        assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(r.data()).containsEntry("reason", "heap_exhausted");
    }

    @Test
    void deadlockCheckIsUpWithoutDeadlocks() {
        assertThat(new DeadlockHealthCheck().check().data()).containsEntry("deadlockedThreads", 0L);
    }

    @Test
    void diskSpaceBelowThresholdIsDown(@TempDir Path dir) throws Exception {
        assertThat(new DiskSpaceHealthCheck(dir, 0).check().isUp()).isTrue();

        HealthCheckResponse low = new DiskSpaceHealthCheck(dir, Long.MAX_VALUE).check();

        assertThat(low.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(low.data()).containsEntry("reason", "disk_space_low").doesNotContainValue(dir.toString());
    }
}
