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
package io.dpg.observability.jdbc.collector;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectorConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        CollectorConfig c = CollectorConfig.defaults();
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.statementTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.longRunningThreshold()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.initialDelay()).isZero();
        assertThat(c.maxTables()).isEqualTo(50);
        assertThat(c.maxIndexes()).isEqualTo(100);
    }

    @Test
    void invalidValuesAreRejectedWithTheirName() {
        assertThatThrownBy(() -> CollectorConfig.builder().pollInterval(Duration.ZERO))
                .hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> CollectorConfig.builder().statementTimeout(null))
                .hasMessageContaining("statementTimeout");
        assertThatThrownBy(() -> CollectorConfig.builder().initialDelay(Duration.ofSeconds(-1)))
                .hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> CollectorConfig.builder().maxTables(0)).hasMessageContaining("maxTables");
    }
}
