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
package io.dpg.observability.jdbc.sql;

/**
 * One change of a vector search setting made by a statement: {@code SET [LOCAL] name = value}, {@code SET name TO
 * DEFAULT}, {@code RESET name | ALL}, or {@code SELECT set_config('name', value, is_local)}.
 *
 * @param name            the setting, lower case ({@code hnsw.ef_search}, ...), or {@code "*"} for {@code RESET ALL}
 * @param value           the new value: an integer, or for {@code *.iterative_scan} 0 = off, 1 = strict_order,
 *                        2 = relaxed_order; -1 when it is bound to {@link #valueParameter()}, a reset, or not readable
 * @param valueParameter  1-based placeholder holding the value ({@code set_config(name, ?, ...)}), else -1
 * @param local           {@code SET LOCAL} or {@code set_config(..., true)}: ends with the transaction
 * @param reset           back to the session's default ({@code RESET}, {@code TO DEFAULT})
 */
public record SettingChange(String name, long value, int valueParameter, boolean local, boolean reset) {

    /** Every setting this library tracks, in a fixed order (indexes used by trackers). */
    public static final java.util.List<String> TRACKED = java.util.List.of(
            "hnsw.ef_search", "hnsw.iterative_scan", "hnsw.max_scan_tuples", "ivfflat.probes",
            "ivfflat.iterative_scan", "ruvector.ef_search", "ruvector.probes");

    /** {@code off}, {@code strict_order}, {@code relaxed_order} as 0, 1, 2; -1 for anything else. */
    public static long iterativeScan(String text) {
        if (text == null) {
            return -1;
        }
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "off": case "false": return 0;
            case "strict_order": return 1;
            case "relaxed_order": return 2;
            default: return -1;
        }
    }

    /** Whether {@code name} takes the iterative-scan words rather than an integer. */
    public static boolean isIterativeScan(String name) {
        return name != null && name.endsWith(".iterative_scan");
    }
}
