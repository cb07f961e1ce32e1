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
