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
package io.dpg.observability.jdbc.pgvector;

/** Where an application puts {@code ObservedDataSource} in its stack. */
enum Wiring {
    /** {@code ObservedDataSource.wrap(driverDataSource)}: no pool. */
    OBSERVED,
    /** {@code ObservedDataSource.wrap(hikari)}: the wrapper in front of the pool (it also times the pool's wait). */
    OBSERVED_IN_FRONT_OF_HIKARI,
    /** {@code new HikariDataSource(observed)}: the pool in front of the wrapper, pooling observed connections. */
    HIKARI_IN_FRONT_OF_OBSERVED
}
