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

import io.dpg.observability.health.checks.DatabaseHealthCheck;
import io.dpg.observability.health.checks.DeadlockHealthCheck;
import io.dpg.observability.health.checks.DiskSpaceHealthCheck;
import io.dpg.observability.health.checks.JvmHealthCheck;
import io.dpg.observability.health.checks.ReplicationLagHealthCheck;
import io.dpg.observability.health.checks.StartupHealthCheck;
import io.dpg.observability.health.checks.VectorExtensionHealthCheck;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The built-in checks and a one-call registration of the usual set.
 *
 * <pre>{@code
 * StartupHealthCheck startup = HealthChecks.registerDefaults(health, dataSource);
 * ... // application initialisation
 * startup.markStarted();
 * }</pre>
 */
public final class HealthChecks {

    /** Validation timeout of the database checks (the registry's hard timeout bounds the whole check). */
    public static final Duration DEFAULT_DB_TIMEOUT = Duration.ofSeconds(1);

    private HealthChecks() {
    }

    public static DatabaseHealthCheck database(DataSource dataSource) {
        return new DatabaseHealthCheck(dataSource, DEFAULT_DB_TIMEOUT);
    }

    public static VectorExtensionHealthCheck vectorExtension(DataSource dataSource) {
        return new VectorExtensionHealthCheck(dataSource, DEFAULT_DB_TIMEOUT);
    }

    public static ReplicationLagHealthCheck replicationLag(DataSource dataSource, Duration threshold) {
        return new ReplicationLagHealthCheck(dataSource, threshold, DEFAULT_DB_TIMEOUT);
    }

    /** Heap after GC at most 95 % of the maximum, with uptime, CPU and thread usage in the data. */
    public static JvmHealthCheck jvm() {
        return new JvmHealthCheck(0.95);
    }

    public static DeadlockHealthCheck deadlocks() {
        return new DeadlockHealthCheck();
    }

    public static DiskSpaceHealthCheck diskSpace(Path path, long minFreeBytes) {
        return new DiskSpaceHealthCheck(path, minFreeBytes);
    }

    public static StartupHealthCheck startup() {
        return new StartupHealthCheck();
    }

    /**
     * Registers {@code jvm} and {@code deadlocks} (liveness: no external system), {@code database} and
     * {@code vector-extension} (readiness; the latter cached for 10 s), {@code disk} (readiness, 100 MB at
     * the working directory) and {@code startup} (startup). Returns the startup check to mark started.
     */
    public static StartupHealthCheck registerDefaults(HealthRegistry registry, DataSource dataSource) {
        StartupHealthCheck startup = startup();
        registry.register("jvm", jvm(), HealthGroup.LIVENESS);
        registry.register("deadlocks", deadlocks(), HealthCheckOptions.builder().cacheFor(Duration.ofSeconds(5)).build(),
                HealthGroup.LIVENESS);
        registry.register("database", database(dataSource), HealthGroup.READINESS);
        registry.register("vector-extension", vectorExtension(dataSource),
                HealthCheckOptions.builder().cacheFor(Duration.ofSeconds(10)).build(), HealthGroup.READINESS);
        registry.register("disk", diskSpace(Path.of("."), 100L * 1024 * 1024),
                HealthCheckOptions.builder().cacheFor(Duration.ofSeconds(10)).build(), HealthGroup.READINESS);
        registry.register("startup", startup, HealthGroup.STARTUP);
        return startup;
    }
}
