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
package io.dpg.observability.examples.monitoring;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.dpg.observability.examples.monitoring.MonitoringSupport.files;
import static io.dpg.observability.examples.monitoring.MonitoringSupport.pack;
import static io.dpg.observability.examples.monitoring.MonitoringSupport.requireBinary;
import static io.dpg.observability.examples.monitoring.MonitoringSupport.runOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring pack passes the real Prometheus and Alertmanager checkers, and its alert rules pass their
 * promtool unit tests (each alert fires just past its threshold and stays silent below it).
 */
class MonitoringToolsTest {

    private final Path pack = pack();

    @Test
    void prometheusConfigIsValidAndLoadsEveryRuleFile() throws Exception {
        String out = runOk(pack, requireBinary("promtool"), "check", "config", "prometheus.yml");
        // every file of rules/ is loaded by prometheus.yml, whoever adds one
        assertThat(out).contains(files(pack.resolve("rules"), ".yml").size() + " rule files found");
    }

    @Test
    void alertRuleFilesAreValid() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(requireBinary("promtool"), "check", "rules"));
        files(pack.resolve("rules"), ".yml").forEach(p -> cmd.add(pack.relativize(p).toString()));
        runOk(pack, cmd.toArray(String[]::new));
    }

    @Test
    void alertRulesFireAtTheirThresholdsAndStaySilentBelow() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(requireBinary("promtool"), "test", "rules"));
        files(pack.resolve("tests"), ".yml").forEach(p -> cmd.add(p.getFileName().toString()));
        String out = runOk(pack.resolve("tests"), cmd.toArray(String[]::new));
        assertThat(out).doesNotContain("FAILED");
    }

    @Test
    void alertmanagerConfigIsValid() throws Exception {
        String out = runOk(pack, requireBinary("amtool"), "check-config", "alertmanager.yml");
        assertThat(out).contains("SUCCESS");
    }

    @Test
    void criticalAlertsPageAndWarningsGoToSlackAndEverythingReachesTheWebhook() throws Exception {
        String amtool = requireBinary("amtool");
        runOk(pack, amtool, "config", "routes", "test", "--config.file=alertmanager.yml",
                "--verify.receivers=webhook,pagerduty-critical,slack-critical", "severity=critical", "alertname=X");
        runOk(pack, amtool, "config", "routes", "test", "--config.file=alertmanager.yml",
                "--verify.receivers=webhook,slack-warnings", "severity=warning", "alertname=X");
        runOk(pack, amtool, "config", "routes", "test", "--config.file=alertmanager.yml",
                "--verify.receivers=webhook,email-ops", "alertname=X");
    }
}
