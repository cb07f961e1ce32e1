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

import java.util.Map;

/**
 * The outcome of one check inside a {@link HealthReport}: its registered name, status and data. The data
 * holds what the check returned plus {@code responseTimeMs} and {@code checkedAt} (ISO-8601), or a
 * {@code reason} when the registry itself decided the status (timeout, stale result, exception).
 */
public final class HealthCheckResult {

    private final String name;
    private final HealthStatus status;
    private final Map<String, Object> data;

    public HealthCheckResult(String name, HealthStatus status, Map<String, Object> data) {
        this.name = name;
        this.status = status;
        this.data = data;
    }

    public String name() {
        return name;
    }

    public HealthStatus status() {
        return status;
    }

    public boolean isUp() {
        return status == HealthStatus.UP;
    }

    /** Unmodifiable; values are {@link String}, {@link Number} or {@link Boolean}. */
    public Map<String, Object> data() {
        return data;
    }

    @Override
    public String toString() {
        return name + "=" + status + data;
    }
}
