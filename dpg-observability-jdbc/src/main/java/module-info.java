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
/**
 * dpg-observability JDBC: {@link io.dpg.observability.jdbc.ObservedDataSource} (statement, connection and
 * vector-index meters), the server-side collector, search-quality sampling, and the statement classification that
 * listeners and the statistics table expose. The PostgreSQL driver and Micrometer Tracing are optional at run time.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Micrometer, pgjdbc: automatic modules
module io.dpg.observability.jdbc {
    requires transitive io.dpg.observability.core;
    requires transitive java.sql;
    requires static org.postgresql.jdbc;
    // optional: an application that passes a Tracer (JdbcObservabilityConfig.Builder#tracer) requires it itself
    requires static micrometer.tracing;

    exports io.dpg.observability.jdbc;
    exports io.dpg.observability.jdbc.collector;
    exports io.dpg.observability.jdbc.quality;
    exports io.dpg.observability.jdbc.sql;
    exports io.dpg.observability.jdbc.tracing;
}
