package io.dpg.observability.jdbc;

import io.dpg.observability.jdbc.sql.StatementInfo;

/**
 * Hook told of every statement execution an {@link ObservedDataSource} observes: the seam for the in-process
 * per-fingerprint statistics table ({@code QueryStatistics}). Set it with
 * {@link JdbcObservabilityConfig.Builder#statementListener}.
 *
 * <p>Called on the executing thread, after the meters are updated, once per execution (a batch is one
 * execution). It must be fast, thread-safe and must not throw; what it throws is swallowed.
 */
@FunctionalInterface
public interface StatementListener {

    /**
     * @param statement   the classification of the executed SQL ({@link StatementInfo#fingerprint()} keys the table)
     * @param nanos       execution time
     * @param updateCount rows changed when known (sum over a batch), else -1
     * @param failure     the exception the caller got, or {@code null} on success
     */
    void executed(StatementInfo statement, long nanos, long updateCount, Throwable failure);
}
