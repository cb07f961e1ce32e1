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
     * One execution finished.
     *
     * @param statement   the classification of the executed SQL ({@link StatementInfo#fingerprint()} keys the table)
     * @param nanos       execution time
     * @param updateCount rows changed when known (sum over a batch), else -1
     * @param failure     the exception the caller got, or {@code null} on success
     */
    void executed(StatementInfo statement, long nanos, long updateCount, Throwable failure);
}
