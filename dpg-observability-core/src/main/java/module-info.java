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
 * dpg-observability core: the facade ({@link io.dpg.observability.DpgObservability}) that creates every observer,
 * its configuration, the annotations its proxies read, and the health model. The {@code internal} package is
 * exported to this library's own modules only; {@code health.internal} to none.
 */
// Micrometer and the Prometheus client are automatic modules; the qualified export names modules compiled after this
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic", "module"})
module io.dpg.observability.core {
    requires transitive micrometer.core;
    requires transitive java.sql;
    requires java.management;
    requires static jdk.management;
    // optional: with a PrometheusMeterRegistry present, latency series export native + classic histograms
    requires static micrometer.registry.prometheus;
    requires static io.prometheus.metrics.model;
    requires static io.prometheus.metrics.core;

    exports io.dpg.observability;
    exports io.dpg.observability.annotation;
    exports io.dpg.observability.health;
    exports io.dpg.observability.health.checks;
    exports io.dpg.observability.internal to io.dpg.observability.jdbc, io.dpg.observability.servlet;
}
