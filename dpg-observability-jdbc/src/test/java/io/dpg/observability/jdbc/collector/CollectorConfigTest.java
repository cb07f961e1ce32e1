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
