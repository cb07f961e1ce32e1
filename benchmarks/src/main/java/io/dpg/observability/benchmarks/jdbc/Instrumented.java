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
package io.dpg.observability.benchmarks.jdbc;

import javax.sql.DataSource;

/**
 * A DataSource as one instrumentation variant hands it to the application, plus a check, run after the
 * measurement, that the variant really recorded what it is configured to record (so no variant is measured
 * while silently doing nothing).
 */
public interface Instrumented extends AutoCloseable {

    /** The DataSource the benchmark calls. */
    DataSource dataSource();

    /**
     * What this variant recorded, one line (meter names and counts); throws {@link IllegalStateException} when
     * it recorded nothing, which fails the benchmark.
     */
    String verify();

    @Override
    default void close() {
    }
}
