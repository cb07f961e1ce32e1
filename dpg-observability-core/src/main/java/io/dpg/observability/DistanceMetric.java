package io.dpg.observability;

/** Distance metric of a vector search; {@link #tagValue()} is the value of the {@code metric} tag. */
public enum DistanceMetric {
    /** Euclidean distance, operator {@code <->}. */
    L2("l2"),
    /** Cosine distance, operator {@code <=>}. */
    COSINE("cosine"),
    /** Negative inner product, operator {@code <#>}. */
    INNER_PRODUCT("inner_product"),
    /** Manhattan distance, operator {@code <+>} (pgvector). */
    L1("l1"),
    /** Hamming distance between bit vectors, operator {@code <~>} (pgvector). */
    HAMMING("hamming"),
    /** Jaccard distance between bit vectors, operator {@code <%>} (pgvector). */
    JACCARD("jaccard"),
    /** Not known or not one of the above. */
    UNKNOWN("unknown");

    private final String tagValue;

    DistanceMetric(String tagValue) {
        this.tagValue = tagValue;
    }

    public String tagValue() {
        return tagValue;
    }
}
