package io.dpg.observability;

/** Outcome of an observed call; {@link #tagValue()} is the value of the {@code outcome} / {@code status} tag. */
public enum Outcome {
    SUCCESS("success"),
    ERROR("error");

    private final String tagValue;

    Outcome(String tagValue) {
        this.tagValue = tagValue;
    }

    public String tagValue() {
        return tagValue;
    }
}
