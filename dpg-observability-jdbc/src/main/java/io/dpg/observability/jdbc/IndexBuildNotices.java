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
package io.dpg.observability.jdbc;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.QueryType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;

import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * {@code ruvector.index.build.notices{collection, kind}}: the notices and warnings the server sent on a vector
 * index build, read from the statement the wrapper already timed ({@link Statement#getWarnings()}, which pgjdbc
 * fills from the server's NOTICE / WARNING messages; no round trip) and counted by kind, never by text:
 * {@code memory} when the build outgrew {@code maintenance_work_mem} (pgvector: "hnsw graph no longer fits into
 * maintenance_work_mem after N tuples"), {@code other} for anything else. Only successful index builds are read,
 * so other statements pay nothing. The warnings stay on the statement for the caller.
 */
final class IndexBuildNotices {

    static final String NAME = "ruvector.index.build.notices";
    private static final int MAX_READ = 16;

    private final DpgObservability obs;

    IndexBuildNotices(DpgObservability obs) {
        this.obs = obs;
    }

    /** After a successful execution of {@code plan} on {@code statement}. Never throws. */
    void executed(ExecutionPlan plan, Statement statement) {
        if (plan.info.queryType() != QueryType.INDEX_BUILD) {
            return;
        }
        try {
            SQLWarning w = statement.getWarnings();
            for (int i = 0; w != null && i < MAX_READ; i++, w = w.getNextWarning()) {
                String text = w.getMessage();
                String kind = text != null && text.contains("maintenance_work_mem") ? "memory" : "other";
                counter(plan.info.table(), kind).increment();
            }
        } catch (SQLException | RuntimeException ignored) {
            // bookkeeping never breaks the caller
        }
    }

    private Counter counter(String table, String kind) {
        return obs.counter(NAME, "Notices and warnings the server sent on vector index builds, by kind (memory: the"
                        + " build outgrew maintenance_work_mem)",
                Tags.of("collection", obs.tagValue("collection", table == null ? "unknown" : table), "kind", kind));
    }
}
