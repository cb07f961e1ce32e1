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
package io.dpg.observability.health;

/**
 * One health check. Implementations do their work and return {@link HealthCheckResponse#up()} or a
 * {@code DOWN} response with data; they need not guard against hangs or exceptions: the
 * {@link HealthRegistry} runs them on its own threads under a hard timeout and turns any exception into
 * {@code DOWN} with the exception's class name (never its message or stack trace).
 *
 * <p>Data values must never carry secrets: do not put driver exception messages or raw JDBC URLs into
 * the data (see {@link JdbcUrls#sanitize(String)}).
 */
@FunctionalInterface
public interface HealthCheck {

    HealthCheckResponse check() throws Exception;
}
