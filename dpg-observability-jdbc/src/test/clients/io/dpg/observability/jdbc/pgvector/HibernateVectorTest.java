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
package io.dpg.observability.jdbc.pgvector;

import io.dpg.observability.jdbc.internal.SqlClassifier;
import io.dpg.observability.jdbc.sql.StatementInfo;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hibernate ORM 7 with its vector module ({@code hibernate-vector}) as itself, over real pgvector (PGlite), given
 * the observed DataSource in each {@link Wiring}: an entity with a {@code vector} column, an HNSW index built by a
 * native statement, entities persisted, and HQL queries ordered by each of the module's distance functions (which
 * Hibernate renders as pgvector operators in parentheses, {@code ((a<#>b)*-1)} for the inner product, or
 * {@code l1_distance(a,b)}), k from {@code setMaxResults} (a bound {@code fetch first ? rows only}) or an HQL
 * {@code limit}.
 */
@Tag("pgvector")
class HibernateVectorTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    private static final String TABLE = "hib_docs";
    private static final List<String> TEXTS = List.of(
            "vector search in postgres", "hnsw graphs for nearest neighbours", "ivfflat lists and probes",
            "observability of jdbc statements", "latency histograms and percentiles", "postgres connection pools",
            "embeddings of documents and queries", "cosine and inner product distances");

    /** An HQL search: the query, its k, and the metric it must be recorded with. */
    record Search(String hql, int maxResults, String metric) {
    }

    private static final List<Search> SEARCHES = List.of(
            new Search("select d.id from HibernateDoc d order by cosine_distance(d.embedding, :q)", 3, "cosine"),
            new Search("select d.id from HibernateDoc d order by euclidean_distance(d.embedding, :q)", 4, "l2"),
            new Search("select d.id from HibernateDoc d order by euclidean_squared_distance(d.embedding, :q)", 2, "l2"),
            new Search("select d.id from HibernateDoc d order by taxicab_distance(d.embedding, :q)", 3, "l1"),
            new Search("select d.id from HibernateDoc d order by inner_product(d.embedding, :q) desc", 3, "inner_product"),
            new Search("select d.id from HibernateDoc d order by negative_inner_product(d.embedding, :q)", 5, "inner_product"));

    private static SessionFactory sessionFactory(DataSource ds, boolean createSchema) {
        Configuration cfg = new Configuration().addAnnotatedClass(HibernateDoc.class);
        cfg.getProperties().put(AvailableSettings.DATASOURCE, ds);
        cfg.setProperty(AvailableSettings.HBM2DDL_AUTO, createSchema ? "create" : "none");
        return cfg.buildSessionFactory();
    }

    private static List<Long> run(SessionFactory sf, Search s, float[] q) {
        return sf.fromSession(session -> session.createSelectionQuery(s.hql(), Long.class)
                .setParameter("q", q).setMaxResults(s.maxResults()).getResultList());
    }

    @ParameterizedTest
    @EnumSource(Wiring.class)
    void everyHqlDistanceQueryIsRecordedAsASearchOfTheEntityTable(Wiring wiring) throws Exception {
        SqlCapture reference = new SqlCapture(PGLITE.dataSource());
        float[] q = FakeEmbeddings.embed("postgres vector search");
        try (ObservedStack stack = ObservedStack.create(PGLITE, wiring);
             SessionFactory observed = sessionFactory(stack.dataSource(), true)) {
            observed.inTransaction(session -> session.createNativeMutationQuery(
                    "create index hib_docs_cos on hib_docs using hnsw (embedding vector_cosine_ops)").executeUpdate());
            assertThat(stack.indexOperations(TABLE, "build")).as("index build").isEqualTo(1);
            stack.awaitVectorIndexCatalog();
            observed.inTransaction(session -> {
                for (int i = 0; i < TEXTS.size(); i++) {
                    session.persist(new HibernateDoc(i + 1, TEXTS.get(i)));
                }
            });
            assertThat(stack.indexOperations(TABLE, "insert")).as("rows inserted").isEqualTo(TEXTS.size());

            try (SessionFactory unwrapped = sessionFactory(reference.dataSource(), false)) {
                long k = 0;
                long rows = 0;
                for (Search s : SEARCHES) {
                    List<Long> got = run(observed, s, q);
                    assertThat(got).as(s.hql()).isEqualTo(run(unwrapped, s, q)).hasSize(s.maxResults());
                    k += s.maxResults();
                    rows += got.size();
                }
                long made = SEARCHES.size();
                long recorded = 0;
                for (String metric : SEARCHES.stream().map(Search::metric).distinct().toList()) {
                    long expected = SEARCHES.stream().filter(s -> s.metric().equals(metric)).count();
                    assertThat(stack.searches(TABLE, metric)).as(metric).isEqualTo(expected);
                    recorded += stack.searches(TABLE, metric);
                }
                ClientReport.row("Hibernate ORM hibernate-vector", wiring, "HQL distance functions", made, recorded);
                assertThat(stack.allSearches()).as("no search recorded elsewhere").isEqualTo(made);
                assertThat(stack.kTotal(TABLE)).as("k").isEqualTo(k);
                assertThat(stack.resultSets(TABLE)).isEqualTo(made);
                assertThat(stack.rowsRead(TABLE)).as("rows read").isEqualTo(rows);
            }
        }
        List<String> searches = reference.containing(" order by ");
        assertThat(searches).hasSize(SEARCHES.size());
        SqlClassifier classifier = new SqlClassifier(0);
        for (int i = 0; i < searches.size(); i++) {
            StatementInfo info = classifier.classify(searches.get(i));
            assertThat(info.isVectorSearch()).as(searches.get(i)).isTrue();
            assertThat(info.table()).isEqualTo(TABLE);
            assertThat(info.metric().tagValue()).isEqualTo(SEARCHES.get(i).metric());
            System.out.println("CLIENT-SQL | Hibernate | " + searches.get(i));
        }
    }
}
