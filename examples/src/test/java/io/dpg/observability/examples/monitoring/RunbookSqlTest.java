package io.dpg.observability.examples.monitoring;

import io.dpg.observability.jdbc.testsupport.RuVectorStandIn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.dpg.observability.examples.monitoring.MonitoringSupport.repoRoot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every SQL statement in the ```sql blocks of docs/RUNBOOKS.md runs on a real PostgreSQL 17 (embedded, with the
 * RuVector stand-in and a vector table named as in the runbooks). Left out, and counted: statements with a
 * placeholder for the reader to fill ({@code <pid>}, {@code '[...]'}), those on {@code pg_stat_statements} (an
 * optional extension), and those under a {@code -- PostgreSQL 15 and 16} comment (the views PostgreSQL 17 changed;
 * the statement above each, for 17, runs).
 */
class RunbookSqlTest {

    record Sql(String section, String text, boolean onlyBefore17) {
    }

    static List<Sql> runbookSql() throws Exception {
        List<Sql> out = new ArrayList<>();
        String section = "";
        boolean inSql = false;
        boolean before17 = false;
        StringBuilder statement = new StringBuilder();
        for (String line : Files.readAllLines(repoRoot().resolve("docs/RUNBOOKS.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) {
                section = line.substring(3);
            } else if (line.startsWith("```sql")) {
                inSql = true;
            } else if (inSql && line.startsWith("```")) {
                inSql = false;
                before17 = false;
            } else if (inSql) {
                String code = line.replaceAll("--.*$", "").strip();
                if (line.strip().startsWith("--")) {
                    String comment = line.strip();
                    before17 = comment.contains("PostgreSQL 15 and 16") || (before17 && !comment.contains("PostgreSQL 17"));
                    continue;
                }
                for (String part : code.split("(?<=;)")) {
                    statement.append(' ').append(part);
                    if (part.strip().endsWith(";")) {
                        String sql = statement.toString().strip();
                        out.add(new Sql(section, sql.substring(0, sql.length() - 1), before17));
                        statement.setLength(0);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyRunbookStatementRunsOnPostgreSQL17() throws Exception {
        List<Sql> all = runbookSql();
        assertThat(all).hasSizeGreaterThan(40);
        List<String> failed = new ArrayList<>();
        List<String> left = new ArrayList<>();
        int ran = 0;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
             Connection c = pg.getPostgresDatabase().getConnection()) {
            assertThat(c.getMetaData().getDatabaseMajorVersion()).isEqualTo(17);
            RuVectorStandIn.install(c);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE public.items (id bigserial PRIMARY KEY, tenant int, embedding real[])");
                s.execute("INSERT INTO public.items (tenant, embedding) SELECT i % 7, ARRAY[random(), random()]::real[] "
                        + "FROM generate_series(1, 1000) i");
                s.execute("CREATE ROLE app");
                s.execute("CREATE ROLE reporting");
                // what the vector extensions define once loaded
                s.execute("SET hnsw.ef_search = 40");
                s.execute("SET ruvector.ef_search = 40");
            }
            for (Sql sql : all) {
                if (sql.text().matches("(?s).*(<[a-z_]+>|\\[\\.\\.\\.]|pg_stat_statements).*") || sql.onlyBefore17()) {
                    left.add(sql.section() + ": " + sql.text());
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    s.execute(sql.text());
                    ran++;
                } catch (SQLException e) {
                    failed.add(sql.section() + ": " + sql.text() + " -> " + e.getMessage());
                }
            }
        }
        System.out.printf("Runbook SQL on PostgreSQL 17: %d statements ran, %d left out (placeholders, optional "
                + "extension, PostgreSQL 15/16 only)%n", ran, left.size());
        assertThat(failed).as("runbook statements that fail on PostgreSQL 17").isEmpty();
        assertThat(ran).isGreaterThanOrEqualTo(35);
    }
}
