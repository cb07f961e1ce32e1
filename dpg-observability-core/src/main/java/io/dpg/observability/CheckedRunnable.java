package io.dpg.observability;

/** A call with no result that may throw a checked exception of type {@code E}. */
@FunctionalInterface
public interface CheckedRunnable<E extends Throwable> {
    void run() throws E;
}
