package io.dpg.observability.jdbc.sql;

import io.dpg.observability.QueryType;

import java.time.Duration;

/**
 * An immutable snapshot of one fingerprint's row in {@link QueryStatistics}, like a row of
 * {@code pg_stat_statements} seen from the client.
 *
 * @param fingerprint normalized SQL ({@link StatementInfo#fingerprint()}), or {@link QueryStatistics#OTHER}
 * @param queryType   kind of the statement (the kind first recorded for this fingerprint)
 * @param count       executions recorded
 * @param errors      executions that failed
 * @param totalTime   sum of execution times
 * @param maxTime     longest execution
 * @param p99         99th percentile of execution time, within {@link LogHistogram#RELATIVE_ERROR} of the exact value
 */
public record QueryStat(String fingerprint, QueryType queryType, long count, long errors, Duration totalTime,
                        Duration maxTime, Duration p99) {

    /** Mean execution time ({@link Duration#ZERO} when nothing was recorded). */
    public Duration meanTime() {
        return count == 0 ? Duration.ZERO : totalTime.dividedBy(count);
    }
}
