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

/**
 * Startup: {@code DOWN} until the application calls {@link #markStarted()}, {@code UP} from then on.
 */
public final class StartupHealthCheck implements HealthCheck {

    private static final HealthCheckResponse NOT_STARTED = HealthCheckResponse.down("reason", "starting");
    private static final HealthCheckResponse STARTED = HealthCheckResponse.builder().up().withData("started", true).build();

    private volatile boolean started;

    /** Also {@code HealthChecks.startup()}. */
    public StartupHealthCheck() {
    }

    /** Marks the application started. Idempotent. */
    public void markStarted() {
        started = true;
    }

    public boolean isStarted() {
        return started;
    }

    @Override
    public HealthCheckResponse check() {
        return started ? STARTED : NOT_STARTED;
    }
}
