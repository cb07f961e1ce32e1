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
package io.dpg.observability.spring;

import io.dpg.observability.health.HealthCheckResult;
import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import io.dpg.observability.health.HealthReport;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One group of our health model as an Actuator health indicator ({@code dpgLiveness}, {@code dpgReadiness}).
 * It answers within the largest timeout of its checks whatever the database does (the registry runs each check
 * with a hard timeout and one execution in flight), so a probe never hangs on a frozen database. Each check is a
 * detail ({@code status} and its {@code data}); Actuator decides who sees details
 * ({@code management.endpoint.health.show-details}, default never).
 */
final class DpgHealthIndicator implements HealthIndicator {

    private final HealthRegistry registry;
    private final HealthGroup group;

    DpgHealthIndicator(HealthRegistry registry, HealthGroup group) {
        this.registry = registry;
        this.group = group;
    }

    @Override
    public Health health() {
        HealthReport report = registry.evaluate(group);
        Health.Builder b = report.isUp() ? Health.up() : Health.down();
        for (HealthCheckResult r : report.checks()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", r.status().name());
            if (r.data() != null && !r.data().isEmpty()) {
                detail.put("data", r.data());
            }
            b.withDetail(r.name(), detail);
        }
        return b.build();
    }
}
