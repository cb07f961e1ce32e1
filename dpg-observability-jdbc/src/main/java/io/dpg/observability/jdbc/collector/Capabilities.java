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
package io.dpg.observability.jdbc.collector;

import java.util.Set;

/**
 * What the connected server offers, detected at the start of every poll by one small catalog query (so an
 * extension created or dropped while the application runs, or a server upgraded behind a reconnect, is picked up
 * at the next poll).
 *
 * @param serverVersionNum   {@code server_version_num}, e.g. 170006
 * @param maxConnections     {@code max_connections}
 * @param ruvectorVersion    {@code pg_extension.extversion} of {@code ruvector}, or {@code null} if absent
 * @param ruvectorSchema     the schema the {@code ruvector} extension lives in, or {@code null}
 * @param ruvectorFunctions  the monitoring functions the installed {@code ruvector} provides
 * @param pgvectorVersion    {@code pg_extension.extversion} of {@code vector} (pgvector), or {@code null}
 */
record Capabilities(int serverVersionNum, int maxConnections, String ruvectorVersion, String ruvectorSchema,
                    Set<String> ruvectorFunctions, String pgvectorVersion) {

    static final String FN_VERSION = "ruvector_version";
    static final String FN_MEMORY_STATS = "ruvector_memory_stats";
    static final String FN_IS_HEALTHY = "ruvector_is_healthy";
    static final String FN_HEALTH_STATUS = "ruvector_health_status";
    static final String FN_HNSW_DEBUG = "ruvector_hnsw_debug";

    Capabilities {
        ruvectorFunctions = Set.copyOf(ruvectorFunctions);
    }

    boolean hasRuVector() {
        return ruvectorVersion != null;
    }

    boolean hasPgvector() {
        return pgvectorVersion != null;
    }

    boolean hasVectorExtension() {
        return hasRuVector() || hasPgvector();
    }

    /** Whether the installed RuVector provides function {@code name}. */
    boolean hasRuVectorFunction(String name) {
        return hasRuVector() && ruvectorFunctions.contains(name);
    }

    /** {@code name} qualified with RuVector's schema, quoted, so the call works whatever the search_path. */
    String ruvectorFunction(String name) {
        return CollectorSql.quoteIdent(ruvectorSchema) + "." + CollectorSql.quoteIdent(name);
    }
}
