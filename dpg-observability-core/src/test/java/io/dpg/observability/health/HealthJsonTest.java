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
package io.dpg.observability.health;

import io.dpg.observability.health.internal.JsonWriter;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthJsonTest {

    private static String value(Object v) {
        StringBuilder sb = new StringBuilder();
        new JsonWriter(sb).value(v);
        return sb.toString();
    }

    @Test
    void stringsEscapeQuotesBackslashesAndControlCharacters() {
        assertThat(value("a\"b\\c\nd\re\tf\u0001g\u001fh\u2028"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh\\u2028\"");
    }

    @Test
    void nonFiniteNumbersBecomeStrings() {
        assertThat(value(Double.NaN)).isEqualTo("\"NaN\"");
        assertThat(value(Double.POSITIVE_INFINITY)).isEqualTo("\"Infinity\"");
        assertThat(value(Float.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
    }

    @Test
    void numbersAndBooleansAreWrittenBare() {
        assertThat(value(42L)).isEqualTo("42");
        assertThat(value(2.5)).isEqualTo("2.5");
        assertThat(value(3.0)).isEqualTo("3");
        assertThat(value(new BigDecimal("1.50"))).isEqualTo("1.50");
        assertThat(value(true)).isEqualTo("true");
    }

    @Test
    void reportRendersMicroProfileHealthShape() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", "pool_exhausted");
        data.put("n", 3L);
        HealthReport report = new HealthReport(List.of(
                new HealthCheckResult("db", HealthStatus.DOWN, data),
                new HealthCheckResult("jvm", HealthStatus.UP, Map.of())));

        assertThat(report.toJson(true)).isEqualTo("{\"status\":\"DOWN\",\"checks\":["
                + "{\"name\":\"db\",\"status\":\"DOWN\",\"data\":{\"reason\":\"pool_exhausted\",\"n\":3}},"
                + "{\"name\":\"jvm\",\"status\":\"UP\"}]}");
        assertThat(report.toJson(false)).isEqualTo("{\"status\":\"DOWN\",\"checks\":["
                + "{\"name\":\"db\",\"status\":\"DOWN\"},{\"name\":\"jvm\",\"status\":\"UP\"}]}");
    }

    @Test
    void emptyReportIsUp() {
        assertThat(new HealthReport(List.of()).toJson(true)).isEqualTo("{\"status\":\"UP\",\"checks\":[]}");
    }
}
