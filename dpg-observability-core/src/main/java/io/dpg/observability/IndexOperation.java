package io.dpg.observability;

/** A vector index operation; {@link #tagValue()} is the value of the {@code operation} tag. */
public enum IndexOperation {
    BUILD("build"),
    INSERT("insert"),
    UPDATE("update"),
    DELETE("delete"),
    SEARCH("search"),
    VACUUM("vacuum"),
    REINDEX("reindex"),
    DROP("drop");

    private final String tagValue;

    IndexOperation(String tagValue) {
        this.tagValue = tagValue;
    }

    public String tagValue() {
        return tagValue;
    }
}
