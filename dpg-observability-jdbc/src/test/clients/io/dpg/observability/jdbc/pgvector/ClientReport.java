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

/**
 * Prints one row of the per-library table (searches made through the library / searches recorded in
 * {@code ruvector.search.latency}) to the test output, where the build log keeps it.
 */
final class ClientReport {

    private ClientReport() {
    }

    static void row(String library, Wiring wiring, String what, long made, long recorded) {
        System.out.printf("CLIENT-LIBRARY | %-28s | %-28s | %-34s | made %3d | recorded %3d%n", library, wiring,
                what, made, recorded);
    }
}
