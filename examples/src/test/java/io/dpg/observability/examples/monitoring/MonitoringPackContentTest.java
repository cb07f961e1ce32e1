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
import java.util.Map;
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

    /** Every rule of the pack's rule files, alerting and recording, in file order. */
    static List<JsonNode> rules() throws java.io.IOException {
        List<JsonNode> rules = new ArrayList<>();
        for (Path file : files(pack().resolve("rules"), ".yml")) {
            for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
                group.path("rules").forEach(rules::add);
            }
        }
        return rules;
    }

    static List<JsonNode> alertRules() throws Exception {
        return rules().stream().filter(rule -> rule.has("alert")).toList();
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

    /** Every runbook link is this one base URL (an external label set once, in prometheus.yml) plus an anchor. */
    static final String RUNBOOK_URL_PREFIX = "{{ $externalLabels.runbook_base_url }}#";

    @Test
    void everyAlertHasSeveritySummaryDescriptionAndARunbookAnchorThatExists() throws Exception {
        Set<String> anchors = runbookAnchors();
        List<JsonNode> rules = alertRules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(60);
        for (JsonNode rule : rules) {
            String name = rule.path("alert").asText();
            assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as(name + " summary").isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(name + " description").isNotBlank();
            String url = rule.path("annotations").path("runbook_url").asText();
            assertThat(url).as(name + " runbook_url").startsWith(RUNBOOK_URL_PREFIX);
            assertThat(anchors).as(name + " runbook anchor in docs/RUNBOOKS.md").contains(url.substring(url.indexOf('#') + 1));
        }
    }

    @Test
    void theRunbookBaseUrlIsSetOnceAsAnAbsoluteUrlAndKeptOutOfAlertLabelsAndRemoteWrite() throws Exception {
        JsonNode prom = YAML.readTree(pack().resolve("prometheus.yml").toFile());
        String base = prom.path("global").path("external_labels").path("runbook_base_url").asText();
        assertThat(base).matches("https://[^\\s#]+/RUNBOOKS\\.md");
        assertThat(prom.path("alerting").path("alert_relabel_configs").toString()).contains("runbook_base_url");
        for (JsonNode rw : prom.path("remote_write")) {
            assertThat(rw.path("write_relabel_configs").toString()).contains("runbook_base_url");
        }
    }

    /** One row of MONITORING.md's table of the seed stack's 59 rules. */
    record SeedRule(int number, String file, String rule, String severity, String alert, String ourSeverity, String test) {
    }

    static List<SeedRule> seedRuleTable() throws Exception {
        List<SeedRule> rows = new ArrayList<>();
        Pattern row = Pattern.compile("^\\| (\\d+) \\| (\\w+) \\| (\\w+) \\| (warning|critical) \\| `?([\\w-]+)`? \\| ([\\w-]+) \\| "
                + "(?:`tests/([\\w-]+\\.yml)`|-) \\|$");
        for (String line : Files.readAllLines(repoRoot().resolve("docs/MONITORING.md"), StandardCharsets.UTF_8)) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                rows.add(new SeedRule(Integer.parseInt(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5),
                        m.group(6), m.group(7)));
            }
        }
        return rows;
    }

    /**
     * The closing table of MONITORING.md cannot drift from the pack: all 59 rules of the seed stack are listed, each
     * carried by an alert that exists with a severity at least as strong, and the promtool test named beside it
     * expects that alert to fire with that severity. A rule not carried says why in MONITORING.md.
     */
    @Test
    void everyRuleOfTheSeedStackIsCarriedByAnAlertAtLeastAsSevereThatItsNamedTestMakesFire() throws Exception {
        List<SeedRule> table = seedRuleTable();
        assertThat(table).as("rows of the seed-rule table in docs/MONITORING.md").hasSize(59);
        assertThat(table.stream().map(SeedRule::rule).distinct().count()).isEqualTo(59);
        Map<String, Set<String>> severities = new java.util.HashMap<>();
        for (JsonNode rule : alertRules()) {
            severities.computeIfAbsent(rule.path("alert").asText(), k -> new LinkedHashSet<>())
                    .add(rule.path("labels").path("severity").asText());
        }
        String monitoring = Files.readString(repoRoot().resolve("docs/MONITORING.md"), StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        for (SeedRule r : table) {
            if (r.alert().equals("-")) {
                if (!monitoring.contains("**" + r.rule() + "**")) {
                    problems.add(r.rule() + ": not carried, and MONITORING.md does not say why (**" + r.rule() + "**)");
                }
                continue;
            }
            if (!severities.getOrDefault(r.alert(), Set.of()).contains(r.ourSeverity())) {
                problems.add(r.rule() + ": no alert " + r.alert() + " with severity " + r.ourSeverity());
            }
            if (r.severity().equals("critical") && !r.ourSeverity().equals("critical")) {
                problems.add(r.rule() + ": critical in the seed stack, " + r.ourSeverity() + " here");
            }
            if (r.test() == null || !firesInTest(r.test(), r.alert(), r.ourSeverity())) {
                problems.add(r.rule() + ": " + r.test() + " has no test where " + r.alert() + " fires as " + r.ourSeverity());
            }
        }
        assertThat(problems).isEmpty();
    }

    private static boolean firesInTest(String testFile, String alert, String severity) throws Exception {
        for (JsonNode test : YAML.readTree(pack().resolve("tests").resolve(testFile).toFile()).path("tests")) {
            for (JsonNode t : test.path("alert_rule_test")) {
                if (t.path("alertname").asText().equals(alert)) {
                    for (JsonNode exp : t.path("exp_alerts")) {
                        if (exp.path("exp_labels").path("severity").asText().equals(severity)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
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

    /** The five dashboards the seed stack promised, by file. */
    static final List<String> DASHBOARDS = List.of("dpg-observability.json", "dpg-postgresql.json",
            "dpg-ruvector.json", "dpg-redis.json", "dpg-host.json");

    @Test
    void fiveDashboardsWithDatasourceJobAndInstanceVariablesAndAUnitOnEveryPanel() throws Exception {
        JsonNode ds = YAML.readTree(pack().resolve("grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").get(0);
        String uid = ds.path("uid").asText();
        assertThat(uid).isNotBlank();
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        assertThat(files(pack().resolve("grafana/dashboards"), ".json").stream().map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrderElementsOf(DASHBOARDS);
        Set<String> uids = new LinkedHashSet<>();
        int queries = 0;
        for (Path file : dashboardFiles()) {
            JsonNode dash = JSON.readTree(file.toFile());
            String name = file.getFileName().toString();
            uids.add(dash.path("uid").asText());
            Map<String, JsonNode> vars = new java.util.LinkedHashMap<>();
            dash.path("templating").path("list").forEach(v -> vars.put(v.path("name").asText(), v));
            assertThat(vars).as(name + " variables").containsKeys("datasource", "job", "instance");
            assertThat(vars.get("datasource").path("type").asText()).isEqualTo("datasource");
            assertThat(vars.get("datasource").path("query").asText()).isEqualTo("prometheus");
            assertThat(vars.get("datasource").path("current").path("value").asText()).as(name).isEqualTo(uid);
            for (JsonNode var : vars.values()) {
                if (!var.path("type").asText().equals("datasource")) {
                    assertThat(var.path("datasource").path("uid").asText()).as(name).isEqualTo("${datasource}");
                }
            }
            for (JsonNode panel : panels(dash)) {
                String title = name + ": " + panel.path("title").asText();
                assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
                assertThat(panel.path("fieldConfig").path("defaults").path("unit").asText()).as(title + " unit")
                        .isNotBlank();
                assertThat(panel.path("targets").size()).as(title).isPositive();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
                    String expr = target.path("expr").asText();
                    assertThat(expr).as(title).isNotBlank();
                    // recording-rule outputs are fleet-wide, the overview shows other jobs at a glance; every other
                    // query filters by the dashboard's instance
                    if (!expr.matches("^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+\\b.*") && !name.equals("dpg-observability.json")) {
                        assertThat(expr).as(title + " filters by $instance").contains("$instance");
                    }
                    queries++;
                }
            }
        }
        assertThat(uids).as("dashboard uids").hasSize(DASHBOARDS.size());
        assertThat(queries).isGreaterThanOrEqualTo(100);
        JsonNode provider = YAML.readTree(pack().resolve("grafana/provisioning/dashboards/dpg.yml").toFile())
                .path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
    }

    static List<Path> dashboardFiles() throws Exception {
        return files(pack().resolve("grafana/dashboards"), ".json");
    }

    /** Prometheus series names of our meters as docs/METRICS.md lists them (the names the code registers). */
    static Set<String> documentedPrometheusNames() throws Exception {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("`((?:dpg|ruvector|db)_[a-z0-9_]+)`")
                .matcher(Files.readString(repoRoot().resolve("docs/METRICS.md"), StandardCharsets.UTF_8));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Our series names used in {@code text}, with the series suffixes of timers and summaries removed. */
    static Set<String> ourSeriesIn(String text) {
        Set<String> used = new LinkedHashSet<>();
        // names inside a recording rule's level:metric:operations name are not meters
        Matcher m = Pattern.compile("(?<![\\w:])((?:dpg|ruvector)_[a-z0-9_]+)(?![\\w:])").matcher(text);
        while (m.find()) {
            used.add(m.group(1));
        }
        return used;
    }

    static boolean documented(String series, Set<String> documented) {
        if (documented.contains(series)) {
            return true;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_max")) {
            if (series.endsWith(suffix) && documented.contains(series.substring(0, series.length() - suffix.length()))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everySeriesTheRulesAndTheDashboardUseIsAMeterListedInMetricsMd() throws Exception {
        Set<String> documented = documentedPrometheusNames();
        assertThat(documented).contains("dpg_connections_acquire_seconds", "dpg_db_transactions_total",
                "ruvector_search_latency_seconds");
        List<String> unknown = new ArrayList<>();
        for (JsonNode rule : rules()) {
            for (String series : ourSeriesIn(rule.path("expr").asText())) {
                if (!documented(series, documented)) {
                    unknown.add(rule.path("alert").asText() + rule.path("record").asText() + ": " + series);
                }
            }
        }
        for (Path file : dashboardFiles()) {
            JsonNode dash = JSON.readTree(file.toFile());
            for (JsonNode panel : panels(dash)) {
                for (JsonNode target : panel.path("targets")) {
                    for (String series : ourSeriesIn(target.path("expr").asText())) {
                        if (!documented(series, documented)) {
                            unknown.add(file.getFileName() + " panel " + panel.path("title").asText() + ": " + series);
                        }
                    }
                }
            }
            for (JsonNode var : dash.path("templating").path("list")) {
                for (String series : ourSeriesIn(var.path("query").path("query").asText())) {
                    if (!documented(series, documented)) {
                        unknown.add(file.getFileName() + " variable " + var.path("name").asText() + ": " + series);
                    }
                }
            }
        }
        assertThat(unknown).as("series not among the meters of docs/METRICS.md").isEmpty();
    }

    /** Every panel of the dashboard, rows' nested panels included, rows themselves excluded. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        collectPanels(dashboard.path("panels"), out);
        return out;
    }

    private static void collectPanels(JsonNode panels, List<JsonNode> out) {
        for (JsonNode panel : panels) {
            if (!panel.path("type").asText().equals("row")) {
                out.add(panel);
            }
            collectPanels(panel.path("panels"), out);
        }
    }

}
