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
