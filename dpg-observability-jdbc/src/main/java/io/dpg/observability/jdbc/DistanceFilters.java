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
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;

/**
 * {@code ruvector.distance.filters}: executions of queries that filter by a vector distance without ordering by one
 * ({@code WHERE embedding <-> ? < 0.5}). They are not k-nearest-neighbour searches, so they stay out of
 * {@code ruvector.search.*} (whose latency and k describe index-served top-k queries); pgvector's and RuVector's
 * indexes serve only {@code ORDER BY distance LIMIT k}, so each of these reads every row it filters, and a rising
 * count is worth a look. Resolved once per plan.
 */
final class DistanceFilters {

    static final String NAME = "ruvector.distance.filters";

    private DistanceFilters() {
    }

    /** The counter for {@code info} when it is a distance filter, else null. */
    static Counter counter(DpgObservability obs, StatementInfo info) {
        if (!info.isDistanceFilter()) {
            return null;
        }
        String table = info.table() == null ? "unknown" : info.table();
        return obs.counter(NAME, "Executions of queries that filter by a vector distance without ordering by it "
                        + "(range filters, not k-NN searches; no vector index serves them)",
                Tags.of("collection", obs.tagValue("collection", table), "metric", info.metric().tagValue()));
    }
}
