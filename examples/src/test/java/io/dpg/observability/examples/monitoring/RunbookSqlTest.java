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

import io.dpg.observability.jdbc.testsupport.RuVectorStandIn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static io.dpg.observability.examples.monitoring.MonitoringSupport.repoRoot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every SQL statement in the ```sql blocks of docs/RUNBOOKS.md runs on real PostgreSQL 15, 16 and 17 (embedded, with
 * the RuVector stand-in and a vector table named as in the runbooks): the versions the runbooks promise. PostgreSQL 17
 * comes from the test classpath; 15 and 16 from the binaries the build copies into {@code target/postgres-binaries}.
 * A comment line {@code -- PostgreSQL 17} or {@code -- PostgreSQL 15 and 16} limits the statement that follows it to
 * those versions (where a view changed between them). The query vector {@code '[...]'} is run as a real one (a
 * two-dimension vector, the stand-in table's); {@code pg_stat_statements} is preloaded and created, as the runbooks
 * assume. Left out, and counted: statements with a placeholder for the reader to fill ({@code <pid>}, {@code <index>}).
 */
class RunbookSqlTest {

    private static final Pattern VERSIONS = Pattern.compile("--\\s*PostgreSQL ((?:\\d+(?:,\\s*|\\s+and\\s+)?)+)$");

    /** One statement; {@code versions} empty means every version. */
    record Sql(String section, String text, Set<Integer> versions) {
        boolean runsOn(int major) {
            return versions.isEmpty() || versions.contains(major);
        }
    }

    static List<Sql> runbookSql() throws IOException {
        List<Sql> out = new ArrayList<>();
        String section = "";
        boolean inSql = false;
        Set<Integer> versions = Set.of();
        StringBuilder statement = new StringBuilder();
        for (String line : Files.readAllLines(repoRoot().resolve("docs/RUNBOOKS.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) {
                section = line.substring(3);
            } else if (line.startsWith("```sql")) {
                inSql = true;
                versions = Set.of();
            } else if (inSql && line.startsWith("```")) {
                inSql = false;
                assertThat(statement.toString().strip()).as("a statement without ';' in " + section).isEmpty();
            } else if (inSql && line.strip().startsWith("--")) {
                Matcher m = VERSIONS.matcher(line.strip());
                if (m.find()) {
                    versions = parseVersions(m.group(1));
                }
            } else if (inSql) {
                String code = line.replaceAll("--.*$", "").strip();
                for (String part : code.split("(?<=;)")) {
                    statement.append(' ').append(part);
                    if (part.strip().endsWith(";")) {
                        String sql = statement.toString().strip();
                        out.add(new Sql(section, sql.substring(0, sql.length() - 1), versions));
                        statement.setLength(0);
                        versions = Set.of();
                    }
                }
            }
        }
        return out;
    }

    private static Set<Integer> parseVersions(String list) {
        Set<Integer> out = new java.util.TreeSet<>();
        for (String v : list.split("\\s*(,|and)\\s*")) {
            if (!v.isBlank()) {
                out.add(Integer.parseInt(v.strip()));
            }
        }
        return Set.copyOf(out);
    }

    private static EmbeddedPostgres start(int major) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (major != 17) {
            Path dir = Path.of("target", "postgres-binaries");
            Path jar;
            try (var files = Files.list(dir)) {
                jar = files.filter(f -> f.getFileName().toString().matches(".*-" + major + "\\.\\d+\\.\\d+\\.jar"))
                        .findFirst().orElseThrow(() -> new IllegalStateException("no PostgreSQL " + major
                                + " binaries in " + dir.toAbsolutePath() + " (the build's dependency:copy puts them there)"));
            }
            byte[] archive;
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry txz = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst().orElseThrow();
                try (InputStream in = zip.getInputStream(txz)) {
                    archive = in.readAllBytes();
                }
            }
            builder.setPgBinaryResolver((system, hardware) -> new ByteArrayInputStream(archive));
        }
        return builder.setServerConfig("shared_preload_libraries", "pg_stat_statements").start();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {15, 16, 17})
    void everyRunbookStatementRuns(int major) throws Exception {
        List<Sql> all = runbookSql();
        assertThat(all).hasSizeGreaterThan(40);
        assertThat(all).as("statements limited to one version").anyMatch(s -> !s.versions().isEmpty());
        List<String> failed = new ArrayList<>();
        int left = 0;
        int otherVersion = 0;
        int ran = 0;
        try (EmbeddedPostgres pg = start(major);
             Connection c = pg.getPostgresDatabase().getConnection()) {
            assertThat(c.getMetaData().getDatabaseMajorVersion()).isEqualTo(major);
            RuVectorStandIn.install(c);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION pg_stat_statements");
                s.execute("CREATE TABLE public.items (id bigserial PRIMARY KEY, tenant int, category int, "
                        + "embedding real[])");
                s.execute("INSERT INTO public.items (tenant, category, embedding) SELECT i % 7, i % 11, "
                        + "ARRAY[random(), random()]::real[] FROM generate_series(1, 1000) i");
                s.execute("CREATE ROLE app");
                s.execute("CREATE ROLE reporting");
                // what the vector extensions define once loaded
                s.execute("SET hnsw.ef_search = 40");
                s.execute("SET ruvector.ef_search = 40");
            }
            for (Sql sql : all) {
                if (sql.text().matches("(?s).*<[a-z_]+>.*")) {
                    left++;
                    continue;
                }
                if (!sql.runsOn(major)) {
                    otherVersion++;
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    s.execute(sql.text().replace("'[...]'", "'{0.5,0.25}'::real[]"));
                    ran++;
                } catch (SQLException e) {
                    failed.add(sql.section() + ": " + sql.text() + " -> " + e.getMessage());
                }
            }
        }
        System.out.printf("Runbook SQL on PostgreSQL %d: %d statements ran, %d for other versions, %d left out "
                + "(placeholders)%n", major, ran, otherVersion, left);
        assertThat(failed).as("runbook statements that fail on PostgreSQL " + major).isEmpty();
        assertThat(ran).isGreaterThanOrEqualTo(35);
    }
}
