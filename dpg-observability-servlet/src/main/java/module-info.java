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
/**
 * dpg-observability servlet: the health endpoints and the Prometheus {@code /metrics} endpoint, for any
 * Jakarta Servlet 6 container.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Micrometer: automatic modules
module io.dpg.observability.servlet {
    requires transitive io.dpg.observability.core;
    requires transitive micrometer.registry.prometheus;
    requires static transitive jakarta.servlet; // provided by the container; part of this API

    exports io.dpg.observability.servlet;
}
