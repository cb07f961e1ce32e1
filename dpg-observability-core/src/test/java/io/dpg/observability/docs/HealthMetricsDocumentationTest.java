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
package io.dpg.observability.docs;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.health.HealthCheckOptions;
import io.dpg.observability.health.HealthCheckResponse;
import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HealthMetricsDocumentationTest {

    @Test
    void everyHealthMeterIsDocumentedAndEveryDocumentedHealthMeterExists() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpgObservability obs = DpgObservability.create(registry);
        CountDownLatch release = new CountDownLatch(1);
        try (HealthRegistry health = HealthRegistry.create(obs)) {
            health.register("fast", HealthCheckResponse::up, HealthGroup.READINESS);
            health.register("stuck", () -> {
                release.await(5, TimeUnit.SECONDS);
                return HealthCheckResponse.up();
            }, HealthCheckOptions.builder().timeout(Duration.ofMillis(50)).build(), HealthGroup.READINESS);
            health.evaluate(HealthGroup.READINESS);
            release.countDown();
        }
        assertThat(MetricsDocumentation.registered(registry, "dpg.health."))
                .isEqualTo(MetricsDocumentation.documented("health"));
    }
}
