package io.dpg.observability.jdbc.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition every 20 ms up to a generous limit: for work the library does on its own threads. */
public final class Await {

    private Await() {
    }

    /** True as soon as {@code condition} holds; false when it still does not after {@code limit}. */
    public static boolean until(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
