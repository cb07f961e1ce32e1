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

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObservabilityConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ObservabilityConfig c = ObservabilityConfig.defaults();
        assertThat(c.percentiles()).containsExactly(0.5, 0.95, 0.99);
        assertThat(c.histogramBuckets()).isTrue();
        assertThat(c.bucketBoundaries()).contains(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(c.percentileWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.maxTagValues()).isEqualTo(100);
    }

    @Test
    void nullArgumentsFailAtConfigurationTimeWithTheParameterName() {
        assertThatThrownBy(() -> ObservabilityConfig.builder().commonTag("application", null))
                .isInstanceOf(NullPointerException.class).hasMessage("value");
        assertThatThrownBy(() -> ObservabilityConfig.builder().clock(null))
                .isInstanceOf(NullPointerException.class).hasMessage("clock");
        assertThatThrownBy(() -> ObservabilityConfig.builder().percentileWindow(null))
                .isInstanceOf(NullPointerException.class).hasMessage("window");
        assertThatThrownBy(() -> DpgObservability.create(null))
                .isInstanceOf(NullPointerException.class).hasMessage("registry");
        assertThatThrownBy(() -> DpgObservability.create(new SimpleMeterRegistry(), null))
                .isInstanceOf(NullPointerException.class).hasMessage("config");
        DpgObservability obs = DpgObservability.create(new SimpleMeterRegistry());
        assertThatThrownBy(() -> obs.vectorSearch("c", null))
                .isInstanceOf(NullPointerException.class).hasMessage("metric");
        assertThatThrownBy(() -> obs.registerVectorCount("s", "t", null))
                .isInstanceOf(NullPointerException.class).hasMessage("count");
    }

    @Test
    void badValuesAreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> ObservabilityConfig.builder().percentiles(0.5, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percentiles");
        assertThatThrownBy(() -> ObservabilityConfig.builder().bucketBoundaries(Duration.ofMillis(5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> ObservabilityConfig.builder().maxTagValues(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configIsImmutable() {
        double[] p = {0.5, 0.9};
        ObservabilityConfig c = ObservabilityConfig.builder().percentiles(p).build();
        p[0] = 0.1;
        c.percentiles()[1] = 0.2;
        assertThat(c.percentiles()).containsExactly(0.5, 0.9);
    }
}
