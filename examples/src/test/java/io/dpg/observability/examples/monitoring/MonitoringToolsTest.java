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
        assertThat(out).contains("7 rule files found");
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
