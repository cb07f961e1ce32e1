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
