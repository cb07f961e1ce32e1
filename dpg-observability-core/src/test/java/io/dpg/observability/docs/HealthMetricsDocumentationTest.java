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
