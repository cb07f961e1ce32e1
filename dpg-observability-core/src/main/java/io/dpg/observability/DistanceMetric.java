/*
 * Copyright 2026 The dpg-observability maintainers
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
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
