package io.dpg.observability;

/**
 * A call that returns a value and may throw a checked exception of type {@code E}; observation wrappers
 * rethrow that exception unchanged.
 */
@FunctionalInterface
public interface CheckedSupplier<T, E extends Throwable> {
    T get() throws E;
}
