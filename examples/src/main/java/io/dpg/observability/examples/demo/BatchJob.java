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
