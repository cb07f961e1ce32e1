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
