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
