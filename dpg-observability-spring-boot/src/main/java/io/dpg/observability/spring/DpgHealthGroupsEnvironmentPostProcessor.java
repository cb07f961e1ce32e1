package io.dpg.observability.spring;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Puts our indicators into Actuator's probe groups by default: {@code liveness} = {@code livenessState} +
 * {@code dpgLiveness}, {@code readiness} = {@code readinessState} + {@code dpgReadiness}, with the probes on. These
 * are defaults at the lowest precedence: any value the application sets wins. Nothing is added when
 * {@code dpg.observability.enabled} or {@code dpg.observability.health.enabled} is false.
 */
public final class DpgHealthGroupsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE = "dpgObservabilityHealthGroups";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("dpg.observability.enabled", Boolean.class, true)
                || !environment.getProperty("dpg.observability.health.enabled", Boolean.class, true)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(
                "management.endpoint.health.probes.enabled", "true",
                "management.endpoint.health.group.liveness.include", "livenessState,dpgLiveness",
                "management.endpoint.health.group.readiness.include", "readinessState,dpgReadiness")));
    }
}
