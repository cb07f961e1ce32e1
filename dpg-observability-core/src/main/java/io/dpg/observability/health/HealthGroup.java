package io.dpg.observability.health;

/**
 * The probe groups of Kubernetes and MicroProfile Health. A check may belong to several.
 *
 * <ul>
 *   <li>{@link #LIVENESS}: is the process itself healthy (restart it if not)? Never an external system.</li>
 *   <li>{@link #READINESS}: can it serve traffic now (database reachable, extension present)?</li>
 *   <li>{@link #STARTUP}: has it finished starting?</li>
 * </ul>
 */
public enum HealthGroup {
    LIVENESS("liveness"),
    READINESS("readiness"),
    STARTUP("startup");

    private final String tagValue;

    HealthGroup(String tagValue) {
        this.tagValue = tagValue;
    }

    /** The lower-case name used as the {@code group} tag value. */
    public String tagValue() {
        return tagValue;
    }
}
