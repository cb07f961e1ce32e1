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

import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Low-cardinality error type derived from an exception; {@link #tagValue()} is the value of the
 * {@code error_type} tag. Never derived from, and never carrying, the exception's message.
 *
 * <p>For {@link SQLException} the SQLSTATE decides: class 08 connection, 40 rollback / serialization,
 * 53 insufficient resources, 57014 query canceled (statement timeout), 42 syntax or undefined object,
 * 23 constraint violation. A SQLSTATE that is absent falls back to the exception's class.
 */
public enum ErrorType {
    CONNECTION("connection"),
    ROLLBACK("rollback"),
    RESOURCES("resources"),
    TIMEOUT("timeout"),
    SYNTAX("syntax"),
    CONSTRAINT("constraint"),
    OTHER("other");

    private final String tagValue;

    ErrorType(String tagValue) {
        this.tagValue = tagValue;
    }

    public String tagValue() {
        return tagValue;
    }

    /** Classifies {@code error}; {@code null} gives {@link #OTHER}. Never throws. */
    public static ErrorType of(Throwable error) {
        Throwable t = error;
        // unwrap the async wrappers, a bounded number of times (cause chains can be cyclic)
        for (int i = 0; i < 4 && t != null; i++) {
            if ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
                t = t.getCause();
            } else {
                break;
            }
        }
        if (t == null) {
            return OTHER;
        }
        if (t instanceof SQLException) {
            return ofSqlState(((SQLException) t).getSQLState(), t);
        }
        if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
                || t instanceof InterruptedException) {
            return t instanceof InterruptedException ? OTHER : TIMEOUT;
        }
        if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) {
            return CONNECTION;
        }
        return OTHER;
    }

    /** Classifies a SQLSTATE (five characters); {@code null} or malformed gives {@link #OTHER}. */
    public static ErrorType ofSqlState(String sqlState) {
        return ofSqlState(sqlState, null);
    }

    private static ErrorType ofSqlState(String state, Throwable t) {
        if (state == null || state.length() < 2) {
            if (t instanceof java.sql.SQLTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return CONNECTION;
            }
            return OTHER;
        }
        if (state.startsWith("57014") || state.startsWith("HYT")) {
            return TIMEOUT;
        }
        char c0 = state.charAt(0);
        char c1 = state.charAt(1);
        if (c0 == '0' && c1 == '8') {
            return CONNECTION;
        }
        if (c0 == '4' && c1 == '0') {
            return ROLLBACK;
        }
        if (c0 == '5' && c1 == '3') {
            return RESOURCES;
        }
        if (c0 == '4' && c1 == '2') {
            return SYNTAX;
        }
        if (c0 == '2' && c1 == '3') {
            return CONSTRAINT;
        }
        if (c0 == '5' && c1 == '7' && state.startsWith("57P0")) {
            // 57P01..57P03: admin shutdown, crash shutdown, cannot connect now
            return CONNECTION;
        }
        return OTHER;
    }
}
