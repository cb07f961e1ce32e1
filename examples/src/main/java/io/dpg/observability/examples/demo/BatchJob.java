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
package io.dpg.observability.examples.demo;

import io.micrometer.core.annotation.Counted;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The demo's batch job, the way an application marks one for the pack's {@code BatchJobFailure} alert: Micrometer's
 * {@code @Counted("batch.job")} on the job's method, honoured by {@code DpgObservability.instrument}, counts every run
 * in {@code batch_job_total{class, method, result, exception}}. The workload runs it every 15 s; it fails while the
 * database is down.
 */
public interface BatchJob {

    /** Refreshes the planner statistics of the documents table. */
    @Counted(value = "batch.job", description = "Runs of the application's batch jobs, by result")
    void refreshStatistics() throws SQLException;

    /** The job itself, through the application's (observed) DataSource. */
    static BatchJob on(DataSource dataSource) {
        return () -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("ANALYZE documents");
            }
        };
    }
}
