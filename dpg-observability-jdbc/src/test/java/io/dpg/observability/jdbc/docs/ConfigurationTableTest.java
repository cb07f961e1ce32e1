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
package io.dpg.observability.jdbc.docs;

import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.collector.CollectorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docs/CONFIGURATION.md's table against the code, both ways, and the environment-name rule it states. */
class ConfigurationTableTest {

    private static final Pattern ROW = Pattern.compile(
            "^\\| `(dpg\\.observability\\.[a-z.-]+)` \\| `([A-Z_]+)` \\| [^|]+ \\| `([^`]+)` \\|");

    @AfterEach
    void clearProperties() {
        System.clearProperty("dpg.observability.application");
        System.clearProperty("dpg.observability.jdbc.leak-detection-threshold");
    }

    /** setting -> example value, from the first table of docs/CONFIGURATION.md. */
    private static Map<String, String[]> table() throws IOException {
        Path doc = Files.exists(Path.of("../docs/CONFIGURATION.md")) ? Path.of("../docs/CONFIGURATION.md")
                : Path.of("docs/CONFIGURATION.md");
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.put(m.group(1), new String[] {m.group(2), m.group(3)});
            }
        }
        return rows;
    }

    private static String configs(Function<String, String> lookup) {
        return ObservabilityConfig.from(lookup) + " " + JdbcObservabilityConfig.from(lookup) + " "
                + CollectorConfig.from(lookup);
    }

    @Test
    void everyDocumentedSettingIsReadAndEveryReadSettingIsDocumented() throws IOException {
        Map<String, String[]> table = table();
        assertThat(table).hasSizeGreaterThan(20);

        Set<String> read = new TreeSet<>();
        String defaults = configs(name -> {
            read.add(name);
            return null;
        });
        assertThat(read).isEqualTo(new TreeSet<>(table.keySet()));

        List<String> withoutEffect = new ArrayList<>();
        for (Map.Entry<String, String[]> row : table.entrySet()) {
            String example = row.getValue()[1];
            if (configs(name -> name.equals(row.getKey()) ? example : null).equals(defaults)) {
                withoutEffect.add(row.getKey() + "=" + example);
            }
        }
        assertThat(withoutEffect).as("documented examples that change nothing").isEmpty();
    }

    @Test
    void theDocumentedEnvironmentVariableNamesFollowTheRule() throws IOException {
        for (Map.Entry<String, String[]> row : table().entrySet()) {
            String expected = row.getKey().toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace("-", "");
            assertThat(row.getValue()[0]).as(row.getKey()).isEqualTo(expected);
        }
    }

    @Test
    void systemPropertiesAreRead() {
        System.setProperty("dpg.observability.application", "orders");
        System.setProperty("dpg.observability.jdbc.leak-detection-threshold", "1m");

        assertThat(ObservabilityConfig.fromEnvironment().commonTags().stream())
                .anySatisfy(t -> assertThat(t.getKey() + "=" + t.getValue()).isEqualTo("application=orders"));
        assertThat(JdbcObservabilityConfig.fromEnvironment().leakDetectionThreshold()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void durationsTakeTheDocumentedForms() {
        for (String[] c : new String[][] {{"500ms", "PT0.5S"}, {"30s", "PT30S"}, {"5m", "PT5M"}, {"1h", "PT1H"},
                {"1d", "PT24H"}, {"250", "PT0.25S"}, {"PT45S", "PT45S"}}) {
            assertThat(JdbcObservabilityConfig.from(n -> n.endsWith("catalog-query-timeout") ? c[0] : null)
                    .catalogQueryTimeout()).as(c[0]).isEqualTo(Duration.parse(c[1]));
        }
    }

    @Test
    void aValueThatDoesNotParseFailsWithTheSettingsNameButNotItsValue() {
        assertThatThrownBy(() -> ObservabilityConfig.from(n -> n.endsWith("max-tag-values") ? "s3cret" : null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dpg.observability.max-tag-values")
                .hasMessageContaining("DPG_OBSERVABILITY_MAXTAGVALUES")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> JdbcObservabilityConfig.from(n -> n.endsWith("observe-result-rows") ? "yes" : null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("observe-result-rows");
        assertThatThrownBy(() -> ObservabilityConfig.from(n -> n.endsWith(".naming") ? "otel" : null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dpg, opentelemetry, both");
    }
}
