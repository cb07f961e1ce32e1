package io.dpg.observability.health;

/** The two states of MicroProfile Health: a check or a group is either {@code UP} or {@code DOWN}. */
public enum HealthStatus {
    UP,
    DOWN;

    /** {@code UP} only when both are {@code UP}. */
    public HealthStatus and(HealthStatus other) {
        return this == UP && other == UP ? UP : DOWN;
    }
}
