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

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link HealthCheck} returns: a status and a small map of data whose values are strings, numbers or
 * booleans (the MicroProfile Health 4.0 data model). Immutable.
 *
 * <pre>{@code
 * return HealthCheckResponse.builder().up().withData("version", "0.8.1").withData("indexes", 3).build();
 * return HealthCheckResponse.down("reason", "pool_exhausted");
 * }</pre>
 */
public final class HealthCheckResponse {

    private static final HealthCheckResponse UP = new HealthCheckResponse(HealthStatus.UP, Collections.emptyMap());
    private static final HealthCheckResponse DOWN = new HealthCheckResponse(HealthStatus.DOWN, Collections.emptyMap());

    private final HealthStatus status;
    private final Map<String, Object> data;

    private HealthCheckResponse(HealthStatus status, Map<String, Object> data) {
        this.status = status;
        this.data = data;
    }

    /** {@code UP} with no data. */
    public static HealthCheckResponse up() {
        return UP;
    }

    /** {@code DOWN} with no data. */
    public static HealthCheckResponse down() {
        return DOWN;
    }

    /** {@code DOWN} with one data entry, typically {@code ("reason", "...")}. */
    public static HealthCheckResponse down(String key, String value) {
        return builder().down().withData(key, value).build();
    }

    /** {@code UP} or {@code DOWN} according to {@code up}. */
    public static HealthCheckResponse of(boolean up) {
        return up ? UP : DOWN;
    }

    public static Builder builder() {
        return new Builder();
    }

    public HealthStatus status() {
        return status;
    }

    public boolean isUp() {
        return status == HealthStatus.UP;
    }

    /** Data entries in insertion order; values are {@link String}, {@link Number} or {@link Boolean}. */
    public Map<String, Object> data() {
        return data;
    }

    @Override
    public String toString() {
        return "HealthCheckResponse{" + status + ", data=" + data + '}';
    }

    /** Mutable builder; the status defaults to {@code UP}. */
    public static final class Builder {
        private HealthStatus status = HealthStatus.UP;
        private final LinkedHashMap<String, Object> data = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder up() {
            this.status = HealthStatus.UP;
            return this;
        }

        public Builder down() {
            this.status = HealthStatus.DOWN;
            return this;
        }

        public Builder status(boolean up) {
            this.status = up ? HealthStatus.UP : HealthStatus.DOWN;
            return this;
        }

        public Builder status(HealthStatus status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        public Builder withData(String key, String value) {
            return put(key, value);
        }

        public Builder withData(String key, long value) {
            return put(key, value);
        }

        public Builder withData(String key, double value) {
            return put(key, value);
        }

        public Builder withData(String key, boolean value) {
            return put(key, value);
        }

        /** Copies entries whose values are strings, numbers or booleans; other values are turned into strings. */
        public Builder withData(Map<String, ?> entries) {
            for (Map.Entry<String, ?> e : entries.entrySet()) {
                Object v = e.getValue();
                if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                    put(e.getKey(), v);
                } else {
                    put(e.getKey(), String.valueOf(v));
                }
            }
            return this;
        }

        private Builder put(String key, Object value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            data.put(key, value);
            return this;
        }

        public HealthCheckResponse build() {
            if (data.isEmpty()) {
                return status == HealthStatus.UP ? UP : DOWN;
            }
            return new HealthCheckResponse(status, Collections.unmodifiableMap(new LinkedHashMap<>(data)));
        }
    }
}
