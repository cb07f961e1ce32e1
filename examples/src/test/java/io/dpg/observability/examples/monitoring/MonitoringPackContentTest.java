package io.dpg.observability.examples.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.dpg.observability.examples.monitoring.MonitoringSupport.files;
import static io.dpg.observability.examples.monitoring.MonitoringSupport.pack;
import static io.dpg.observability.examples.monitoring.MonitoringSupport.repoRoot;
import static org.assertj.core.api.Assertions.assertThat;

/** Structural promises of the pack that the tools do not check: annotations, runbooks, secrets, dashboard. */
class MonitoringPackContentTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    /** The seed stack's nine RuVector alerts, re-expressed (two severities of the latency alert share a name). */
    static final List<String> SEED_RUVECTOR_ALERTS = List.of("RuVectorSearchLatencyP95High",
            "RuVectorIndexGrowthHigh", "RuVectorVectorCountAnomaly", "RuVectorHNSWEfficiencyLow",
            "RuVectorTableNotAnalyzed", "RuVectorIndexMemoryHigh", "RuVectorOperationErrorRate",
            "RuVectorIndexBuildSlow");

    static List<JsonNode> alertRules() throws Exception {
        List<JsonNode> rules = new ArrayList<>();
        for (Path file : files(pack().resolve("rules"), ".yml")) {
            for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("alert")) {
                        rules.add(rule);
                    }
                }
            }
        }
        return rules;
    }

    /** GitHub's heading anchors: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
    static Set<String> runbookAnchors() throws Exception {
        Set<String> anchors = new LinkedHashSet<>();
        for (String line : Files.readAllLines(repoRoot().resolve("docs/RUNBOOKS.md"), StandardCharsets.UTF_8)) {
            Matcher m = Pattern.compile("^#{1,6}\\s+(.*?)\\s*$").matcher(line);
            if (m.matches()) {
                anchors.add(m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @Test
    void everyAlertHasSeveritySummaryDescriptionAndARunbookAnchorThatExists() throws Exception {
        Set<String> anchors = runbookAnchors();
        List<JsonNode> rules = alertRules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(20);
        for (JsonNode rule : rules) {
            String name = rule.path("alert").asText();
            assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as(name + " summary").isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(name + " description").isNotBlank();
            String url = rule.path("annotations").path("runbook_url").asText();
            assertThat(url).as(name + " runbook_url").startsWith("docs/RUNBOOKS.md#");
            assertThat(anchors).as(name + " runbook anchor in docs/RUNBOOKS.md").contains(url.substring(url.indexOf('#') + 1));
        }
    }

    @Test
    void everyRunbookHasDiagnosisResolutionPreventionAndCommands() throws Exception {
        String text = Files.readString(repoRoot().resolve("docs/RUNBOOKS.md"), StandardCharsets.UTF_8);
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode rule : alertRules()) {
            names.add(rule.path("alert").asText());
        }
        for (String name : names) {
            int start = text.indexOf("\n## " + name + "\n");
            assertThat(start).as("section ## %s", name).isNotNegative();
            int end = text.indexOf("\n## ", start + 4);
            String section = text.substring(start, end < 0 ? text.length() : end);
            assertThat(section).as(name).contains("### Diagnosis", "### Resolution", "### Prevention", "```");
        }
    }

    @Test
    void theSeedStacksRuVectorAlertsAreAllPresentWithTheLatencyAlertInBothSeverities() throws Exception {
        List<String> names = alertRules().stream().map(r -> r.path("alert").asText()).toList();
        assertThat(names).containsAll(SEED_RUVECTOR_ALERTS);
        assertThat(alertRules().stream().filter(r -> r.path("alert").asText().equals("RuVectorSearchLatencyP95High"))
                .map(r -> r.path("labels").path("severity").asText()).toList())
                .containsExactlyInAnyOrder("warning", "critical");
    }

    @Test
    void everyAlertIsExercisedByAPromtoolUnitTestThatExpectsItToFire() throws Exception {
        Set<String> fired = new LinkedHashSet<>();
        for (Path file : files(pack().resolve("tests"), ".yml")) {
            for (JsonNode test : YAML.readTree(file.toFile()).path("tests")) {
                for (JsonNode t : test.path("alert_rule_test")) {
                    if (t.path("exp_alerts").size() > 0) {
                        fired.add(t.path("alertname").asText());
                    }
                }
            }
        }
        Set<String> names = new LinkedHashSet<>();
        alertRules().forEach(r -> names.add(r.path("alert").asText()));
        assertThat(fired).containsAll(names);
    }

    @Test
    void alertmanagerConfigHoldsNoSecretsOnlyFileReferences() throws Exception {
        JsonNode am = YAML.readTree(pack().resolve("alertmanager.yml").toFile());
        List<String> inline = new ArrayList<>();
        collectSecretKeys(am, "", inline);
        assertThat(inline).as("secret-bearing keys set inline instead of *_file").isEmpty();
        String text = Files.readString(pack().resolve("alertmanager.yml"));
        assertThat(text).doesNotContainPattern("hooks\\.slack\\.com/services/[A-Za-z0-9]");
    }

    private static void collectSecretKeys(JsonNode node, String path, List<String> out) {
        Set<String> secret = Set.of("api_url", "slack_api_url", "smtp_auth_password", "auth_password", "routing_key",
                "service_key", "credentials", "password", "bearer_token", "smtp_auth_secret", "auth_secret");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (secret.contains(e.getKey())) {
                    out.add(path + "/" + e.getKey());
                }
                collectSecretKeys(e.getValue(), path + "/" + e.getKey(), out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectSecretKeys(node.get(i), path + "[" + i + "]", out);
            }
        }
    }

    @Test
    void dashboardIsValidJsonAndEveryPanelUsesTheProvisionedDatasource() throws Exception {
        JsonNode ds = YAML.readTree(pack().resolve("grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").get(0);
        String uid = ds.path("uid").asText();
        assertThat(uid).isNotBlank();
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        JsonNode dash = JSON.readTree(dashboardFile().toFile());
        int queries = 0;
        for (JsonNode panel : dash.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo(uid);
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo(uid);
                assertThat(target.path("expr").asText()).isNotBlank();
                queries++;
            }
        }
        assertThat(queries).isGreaterThanOrEqualTo(20);
        for (JsonNode var : dash.path("templating").path("list")) {
            assertThat(var.path("datasource").path("uid").asText()).isEqualTo(uid);
        }
        JsonNode provider = YAML.readTree(pack().resolve("grafana/provisioning/dashboards/dpg.yml").toFile())
                .path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
    }

    static Path dashboardFile() {
        return pack().resolve("grafana/dashboards/dpg-observability.json");
    }
}
