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

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every setting of docs/CONFIGURATION.md is a Spring Boot property with generated metadata (IDE completion). */
class ConfigurationMetadataTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(dpg\\.observability\\.[a-z.-]+)` \\|");

    @Test
    void everyDocumentedSettingHasConfigurationMetadata() throws Exception {
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("../docs/CONFIGURATION.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                documented.add(m.group(1));
            }
        }
        Set<String> described = new TreeSet<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            JsonNode metadata = RunningApp.JSON.readTree(in);
            for (JsonNode p : metadata.get("properties")) {
                if (!p.path("description").asText().isBlank()) {
                    described.add(p.get("name").asText());
                }
            }
        }
        assertThat(documented).hasSizeGreaterThan(20);
        assertThat(described).containsAll(documented);
    }
}
