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
