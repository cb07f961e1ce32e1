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
package io.dpg.observability;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorTypeTest {

    @ParameterizedTest
    @CsvSource({
            "08006, CONNECTION", "08001, CONNECTION", "40001, ROLLBACK", "40P01, ROLLBACK", "53300, RESOURCES",
            "53100, RESOURCES", "57014, TIMEOUT", "42601, SYNTAX", "42P01, SYNTAX", "23505, CONSTRAINT",
            "23503, CONSTRAINT", "57P01, CONNECTION", "22012, OTHER", "XX000, OTHER", "HYT00, TIMEOUT"})
    void sqlStateClassDecidesTheType(String state, ErrorType expected) {
        assertThat(ErrorType.of(new SQLException("m", state))).isEqualTo(expected);
    }

    @Test
    void missingSqlStateFallsBackToTheExceptionClass() {
        assertThat(ErrorType.of(new SQLException("no state"))).isEqualTo(ErrorType.OTHER);
        assertThat(ErrorType.of(new SQLTimeoutException("t"))).isEqualTo(ErrorType.TIMEOUT);
        assertThat(ErrorType.of(new java.sql.SQLNonTransientConnectionException("c"))).isEqualTo(ErrorType.CONNECTION);
    }

    @Test
    void timeoutsAndAsyncWrappersAreRecognised() {
        assertThat(ErrorType.of(new TimeoutException())).isEqualTo(ErrorType.TIMEOUT);
        assertThat(ErrorType.of(new CompletionException(new SQLException("x", "40001")))).isEqualTo(ErrorType.ROLLBACK);
        assertThat(ErrorType.of(new IllegalStateException("boom"))).isEqualTo(ErrorType.OTHER);
        assertThat(ErrorType.of(null)).isEqualTo(ErrorType.OTHER);
    }
}
