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

import io.dpg.observability.health.internal.JsonWriter;

import java.util.List;
import java.util.Map;

/**
 * The evaluation of one or more {@link HealthGroup}s: {@code UP} when every check is {@code UP} (and when
 * there are none, as MicroProfile Health specifies).
 */
public final class HealthReport {

    private final HealthStatus status;
    private final List<HealthCheckResult> checks;

    public HealthReport(List<HealthCheckResult> checks) {
        this.checks = List.copyOf(checks);
        HealthStatus s = HealthStatus.UP;
        for (HealthCheckResult r : this.checks) {
            s = s.and(r.status());
        }
        this.status = s;
    }

    public HealthStatus status() {
        return status;
    }

    public boolean isUp() {
        return status == HealthStatus.UP;
    }

    /** In registration order. */
    public List<HealthCheckResult> checks() {
        return checks;
    }

    /** The result of the check named {@code name}, or {@code null}. */
    public HealthCheckResult check(String name) {
        for (HealthCheckResult r : checks) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /**
     * MicroProfile Health 4.0 JSON: {@code {"status":"UP","checks":[{"name":..,"status":..,"data":{..}}]}}.
     * With {@code includeData} false the {@code data} objects are left out.
     */
    public String toJson(boolean includeData) {
        StringBuilder sb = new StringBuilder(64 + checks.size() * (includeData ? 160 : 40));
        JsonWriter w = new JsonWriter(sb);
        w.beginObject().name("status").value(status.name()).name("checks").beginArray();
        for (HealthCheckResult r : checks) {
            w.beginObject().name("name").value(r.name()).name("status").value(r.status().name());
            if (includeData && !r.data().isEmpty()) {
                w.name("data").beginObject();
                for (Map.Entry<String, Object> e : r.data().entrySet()) {
                    w.name(e.getKey()).value(e.getValue());
                }
                w.endObject();
            }
            w.endObject();
        }
        w.endArray().endObject();
        return sb.toString();
    }

    @Override
    public String toString() {
        return "HealthReport{" + status + ", " + checks + '}';
    }
}
