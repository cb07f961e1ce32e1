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
package io.dpg.observability.jdbc.internal;

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.IndexOperation;
import io.dpg.observability.QueryType;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.dpg.observability.jdbc.sql.TransactionEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.dpg.observability.DistanceMetric.COSINE;
import static io.dpg.observability.DistanceMetric.INNER_PRODUCT;
import static io.dpg.observability.DistanceMetric.L1;
import static io.dpg.observability.DistanceMetric.L2;
import static org.assertj.core.api.Assertions.assertThat;

class SqlClassifierTest {

    private final SqlClassifier classifier = new SqlClassifier(1000);

    /** A vector search: expected schema (may be null), table, metric and limit. */
    record Search(String sql, String schema, String table, DistanceMetric metric, long limit) {
        @Override
        public String toString() {
            return sql;
        }
    }

    static Stream<Search> vectorSearches() {
        return Stream.of(
                // pgvector / RuVector docs
                new Search("SELECT * FROM items ORDER BY embedding <-> '[3,1,2]' LIMIT 5", null, "items", L2, 5),
                new Search("SELECT * FROM items ORDER BY embedding <#> '[3,1,2]' LIMIT 5", null, "items", INNER_PRODUCT, 5),
                new Search("SELECT * FROM items ORDER BY embedding <=> '[3,1,2]' LIMIT 5", null, "items", COSINE, 5),
                new Search("SELECT * FROM items ORDER BY embedding <+> '[3,1,2]' LIMIT 5", null, "items", L1, 5),
                new Search("SELECT * FROM items WHERE id != 1 ORDER BY embedding <-> (SELECT embedding FROM items WHERE id = 1) LIMIT 5",
                        null, "items", L2, 5),
                new Search("SELECT id, content, embedding <-> $1 AS dist FROM documents ORDER BY embedding <-> $1 LIMIT 10",
                        null, "documents", L2, 10),
                new Search("select id from items order by embedding<->'[1,2,3]'::ruvector limit 3", null, "items", L2, 3),
                new Search("SELECT * FROM items ORDER BY embedding::vector(3) <-> '[3,1,2]' LIMIT 5", null, "items", L2, 5),
                new Search("SELECT * FROM products WHERE category = 'electronics' ORDER BY embedding <=> $1 LIMIT 20",
                        null, "products", COSINE, 20),
                // parameters as k
                new Search("SELECT id FROM items ORDER BY embedding <-> ? LIMIT ?", null, "items", L2, -1),
                new Search("SELECT id FROM items ORDER BY embedding <-> $1 LIMIT $2", null, "items", L2, -1),
                new Search("SELECT id FROM items ORDER BY embedding <-> $1", null, "items", L2, -1),
                // ORMs
                new Search("select d1_0.id from documents d1_0 order by d1_0.embedding<=>? fetch first ? rows only",
                        null, "documents", COSINE, -1),
                new Search("select d1_0.id,d1_0.content from public.documents d1_0 where d1_0.tenant=? order by d1_0.embedding<->? fetch first 7 rows only",
                        "public", "documents", L2, 7),
                new Search("SELECT * FROM items ORDER BY embedding <-> $1 FETCH NEXT ROW ONLY", null, "items", L2, 1),
                // aliases, schemas, quoted identifiers
                new Search("SELECT i.id FROM app.items AS i ORDER BY i.embedding <=> $1 LIMIT 4", "app", "items", COSINE, 4),
                new Search("SELECT \"Id\" FROM \"MySchema\".\"Order Items\" o ORDER BY o.\"Embedding\" <-> $1 LIMIT 2",
                        "MySchema", "Order Items", L2, 2),
                new Search("SELECT * FROM \"my<->table\" ORDER BY \"my<->col\" <#> $1 LIMIT 1", null, "my<->table", INNER_PRODUCT, 1),
                new Search("SELECT * FROM ITEMS ORDER BY EMBEDDING <-> $1 LIMIT 3", null, "items", L2, 3),
                // joins: the qualifier decides
                new Search("SELECT c.name, d.id FROM categories c JOIN docs d ON d.cat = c.id ORDER BY d.embedding <-> $1 LIMIT 10",
                        null, "docs", L2, 10),
                new Search("SELECT * FROM users u LEFT OUTER JOIN items i USING (uid) ORDER BY i.embedding <=> $1 LIMIT 8",
                        null, "items", COSINE, 8),
                // CTEs
                new Search("WITH q AS (SELECT $1::vector AS v) SELECT i.id FROM items i, q ORDER BY i.embedding <=> q.v LIMIT 10",
                        null, "items", COSINE, 10),
                new Search("WITH q AS (SELECT $1::vector AS v) SELECT i.id FROM q, items i ORDER BY q.v <=> i.embedding LIMIT 10",
                        null, "items", COSINE, 10),
                new Search("WITH recent AS (SELECT * FROM docs WHERE created > now() - interval '1 day') "
                        + "SELECT id FROM recent ORDER BY embedding <-> $1 LIMIT 5", null, "docs", L2, 5),
                new Search("WITH hits AS MATERIALIZED (SELECT id FROM chunks ORDER BY embedding <#> $1 LIMIT 50) "
                        + "SELECT d.* FROM hits h JOIN docs d ON d.id = h.id", null, "chunks", INNER_PRODUCT, 50),
                // subqueries
                new Search("SELECT * FROM (SELECT id, embedding FROM items WHERE c = 1) s ORDER BY s.embedding <-> $1 LIMIT 7",
                        null, "items", L2, 7),
                new Search("SELECT * FROM (SELECT id FROM items ORDER BY embedding <=> $1 LIMIT 100) s ORDER BY id LIMIT 10",
                        null, "items", COSINE, 100),
                new Search("SELECT count(*) FROM (SELECT 1 FROM items ORDER BY embedding <-> '[1,2]' LIMIT 40) t",
                        null, "items", L2, 40),
                new Search("(SELECT id FROM a ORDER BY e <-> $1 LIMIT 5) UNION ALL (SELECT id FROM b ORDER BY e <-> $1 LIMIT 5)",
                        null, "a", L2, 5),
                // LATERAL top-k per row, and pgvector's hybrid-search example shape
                new Search("SELECT q.id, n.id FROM queries q CROSS JOIN LATERAL "
                        + "(SELECT id FROM items i ORDER BY i.embedding <-> q.embedding LIMIT 5) n", null, "items", L2, 5),
                new Search("WITH semantic AS (SELECT id, RANK () OVER (ORDER BY embedding <=> $1) AS rank FROM documents "
                        + "ORDER BY embedding <=> $1 LIMIT 20), keyword AS (SELECT id, RANK () OVER (ORDER BY "
                        + "ts_rank_cd(to_tsvector('english', content), query) DESC) FROM documents, plainto_tsquery('english', $2) query "
                        + "WHERE to_tsvector('english', content) @@ query ORDER BY ts_rank_cd(to_tsvector('english', content), query) DESC LIMIT 20) "
                        + "SELECT COALESCE(semantic.id, keyword.id) AS id, COALESCE(1.0 / ($3 + semantic.rank), 0.0) AS score "
                        + "FROM semantic FULL OUTER JOIN keyword ON semantic.id = keyword.id ORDER BY score DESC LIMIT 5",
                        null, "documents", COSINE, 20),
                // distance functions
                new Search("SELECT id FROM docs ORDER BY ruvector_cosine_distance(embedding, $1) LIMIT 4", null, "docs", COSINE, 4),
                new Search("SELECT id FROM docs d ORDER BY ruvector_l2_distance(d.embedding, $1) LIMIT 4", null, "docs", L2, 4),
                new Search("SELECT id FROM docs ORDER BY ruvector_inner_product(embedding, $1) DESC LIMIT 4", null, "docs", INNER_PRODUCT, 4),
                new Search("SELECT id FROM docs ORDER BY ruvector_l1_distance(embedding, $1) LIMIT 4", null, "docs", L1, 4),
                new Search("SELECT id FROM docs ORDER BY l2_distance(embedding, $1) LIMIT 4", null, "docs", L2, 4),
                new Search("SELECT id FROM docs ORDER BY COSINE_DISTANCE(embedding, $1) LIMIT 4", null, "docs", COSINE, 4),
                new Search("SELECT id FROM docs ORDER BY negative_inner_product(embedding, $1) LIMIT 4", null, "docs", INNER_PRODUCT, 4),
                new Search("SELECT id FROM docs ORDER BY public.l1_distance(embedding, $1) LIMIT 4", null, "docs", L1, 4),
                // second sort key
                new Search("SELECT * FROM items ORDER BY category, embedding <-> $1 LIMIT 9", null, "items", L2, 9),
                // comments and strings around a real operator
                new Search("/* top-k */ SELECT id -- the ids\nFROM items /* <=> */ ORDER BY embedding /* nested /* <#> */ */ <-> $1 LIMIT 6",
                        null, "items", L2, 6),
                // several statements: the search wins
                new Search("SET LOCAL hnsw.ef_search = 100; SELECT id FROM items ORDER BY embedding <-> $1 LIMIT 10",
                        null, "items", L2, 10),
                // JDBC escape-free plain statement with a trailing semicolon
                new Search("SELECT id FROM items ORDER BY embedding <-> $1 LIMIT 10;", null, "items", L2, 10));
    }

    @ParameterizedTest
    @MethodSource("vectorSearches")
    void vectorSearchIsRecognisedWithTableMetricAndK(Search c) {
        StatementInfo info = classifier.classify(c.sql());

        assertThat(info.queryType()).as(info.toString()).isEqualTo(QueryType.VECTOR_SEARCH);
        assertThat(info.isVectorSearch()).isTrue();
        assertThat(info.schema()).as("schema").isEqualTo(c.schema());
        assertThat(info.table()).as("table").isEqualTo(c.table());
        assertThat(info.metric()).as("metric").isEqualTo(c.metric());
        assertThat(info.limit()).as("limit").isEqualTo(c.limit());
    }

    record Kind(String sql, QueryType type) {
        @Override
        public String toString() {
            return sql;
        }
    }

    static Stream<Kind> notSearches() {
        return Stream.of(
                // distance outside ORDER BY
                new Kind("SELECT * FROM items WHERE embedding <-> '[3,1,2]' < 5", QueryType.SELECT),
                new Kind("SELECT id, embedding <=> $1 AS d FROM items", QueryType.SELECT),
                new Kind("SELECT id FROM items WHERE ruvector_l2_distance(embedding, $1) < 0.5 ORDER BY id", QueryType.SELECT),
                // distance in a window's or aggregate's own ORDER BY
                new Kind("SELECT id, row_number() OVER (ORDER BY embedding <-> $1) FROM items", QueryType.SELECT),
                new Kind("SELECT array_agg(id ORDER BY embedding <-> $1) FROM items", QueryType.SELECT),
                new Kind("SELECT id, rank() OVER (ORDER BY l2_distance(embedding, $1)) FROM items", QueryType.SELECT),
                new Kind("SELECT id, rank() OVER (PARTITION BY c ORDER BY (embedding <=> $1)) FROM items ORDER BY id", QueryType.SELECT),
                // operators that are not code
                new Kind("SELECT * FROM items /* ORDER BY embedding <-> $1 */", QueryType.SELECT),
                new Kind("SELECT * FROM items ORDER BY id -- <=> \n LIMIT 3", QueryType.SELECT),
                new Kind("SELECT * FROM items ORDER BY 'a <-> b'", QueryType.SELECT),
                new Kind("SELECT * FROM items ORDER BY E'\\' <->'", QueryType.SELECT),
                new Kind("SELECT * FROM items ORDER BY E'it''s <=> x'", QueryType.SELECT),
                new Kind("SELECT * FROM items ORDER BY $$ <-> $$", QueryType.SELECT),
                new Kind("SELECT * FROM items ORDER BY $x$ a <#> b $$ still in $x$", QueryType.SELECT),
                new Kind("SELECT * FROM items ORDER BY \"my<->col\"", QueryType.SELECT),
                new Kind("SELECT * FROM items ORDER BY id /* outer /* inner */ <-> still comment */", QueryType.SELECT),
                new Kind("SELECT * FROM items ORDER BY U&'\\0041 <->'", QueryType.SELECT),
                new Kind("SELECT 1 <-> 2, id FROM t ORDER BY 2", QueryType.SELECT),
                new Kind("TABLE items", QueryType.SELECT),
                new Kind("VALUES (1), (2)", QueryType.SELECT),
                new Kind("EXPLAIN ANALYZE SELECT * FROM items ORDER BY embedding <-> $1 LIMIT 5", QueryType.OTHER),
                // searches feeding writes stay writes
                new Kind("INSERT INTO hits SELECT id FROM items ORDER BY embedding <-> $1 LIMIT 5", QueryType.INSERT),
                new Kind("DELETE FROM items WHERE id IN (SELECT id FROM items ORDER BY embedding <-> $1 LIMIT 5)", QueryType.DELETE),
                // other kinds
                new Kind("BEGIN", QueryType.TRANSACTION),
                new Kind("begin isolation level serializable", QueryType.TRANSACTION),
                new Kind("START TRANSACTION READ ONLY", QueryType.TRANSACTION),
                new Kind("COMMIT", QueryType.TRANSACTION),
                new Kind("END", QueryType.TRANSACTION),
                new Kind("ROLLBACK TO SAVEPOINT s1", QueryType.TRANSACTION),
                new Kind("SAVEPOINT s1", QueryType.TRANSACTION),
                new Kind("RELEASE SAVEPOINT s1", QueryType.TRANSACTION),
                new Kind("PREPARE TRANSACTION 'tx-1'", QueryType.TRANSACTION),
                new Kind("COMMIT PREPARED 'tx-1'", QueryType.TRANSACTION),
                new Kind("PREPARE q AS SELECT 1", QueryType.OTHER),
                new Kind("COPY items (id, embedding) FROM STDIN WITH (FORMAT binary)", QueryType.COPY),
                new Kind("COPY (SELECT * FROM items) TO STDOUT", QueryType.COPY),
                new Kind("CALL refresh_items(1)", QueryType.CALL),
                new Kind("{call refresh_items(?)}", QueryType.CALL),
                new Kind("{? = call compute(?, ?)}", QueryType.CALL),
                new Kind(" { CALL f() } ", QueryType.CALL),
                new Kind("CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector(3))", QueryType.DDL),
                new Kind("CREATE EXTENSION IF NOT EXISTS ruvector", QueryType.DDL),
                new Kind("ALTER TABLE items ADD COLUMN e ruvector(384)", QueryType.DDL),
                new Kind("DROP TABLE items", QueryType.DDL),
                new Kind("TRUNCATE items", QueryType.DDL),
                new Kind("COMMENT ON TABLE items IS 'has <-> in it'", QueryType.DDL),
                new Kind("GRANT SELECT ON items TO reader", QueryType.DDL),
                new Kind("REVOKE ALL ON items FROM reader", QueryType.DDL),
                new Kind("CREATE INDEX ON items (created_at)", QueryType.DDL),
                new Kind("CREATE INDEX items_gin ON items USING gin (tags)", QueryType.DDL),
                new Kind("SET search_path TO app, public", QueryType.SET),
                new Kind("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", QueryType.SET),
                new Kind("RESET hnsw.ef_search", QueryType.SET),
                new Kind("SHOW hnsw.ef_search", QueryType.SET),
                new Kind("SELECT set_config('search_path', 'app', false)", QueryType.SELECT),
                new Kind("DO $$ BEGIN PERFORM 1; END $$", QueryType.OTHER),
                new Kind("LISTEN channel", QueryType.OTHER),
                new Kind("MERGE INTO items t USING staged s ON t.id = s.id WHEN MATCHED THEN UPDATE SET e = s.e", QueryType.OTHER));
    }

    @ParameterizedTest
    @MethodSource("notSearches")
    void statementIsClassifiedByWhatItDoes(Kind c) {
        StatementInfo info = classifier.classify(c.sql());

        assertThat(info.queryType()).as(info.toString()).isEqualTo(c.type());
        assertThat(info.isVectorSearch()).isFalse();
    }

    record Ends(String sql, TransactionEnd end) {
        @Override
        public String toString() {
            return sql;
        }
    }

    static Stream<Ends> transactionEnds() {
        return Stream.of(
                new Ends("COMMIT", TransactionEnd.COMMIT),
                new Ends("commit work", TransactionEnd.COMMIT),
                new Ends("COMMIT TRANSACTION AND CHAIN", TransactionEnd.COMMIT),
                new Ends("END", TransactionEnd.COMMIT),
                new Ends("/* app */ END TRANSACTION;", TransactionEnd.COMMIT),
                new Ends("ROLLBACK", TransactionEnd.ROLLBACK),
                new Ends("rollback and no chain", TransactionEnd.ROLLBACK),
                new Ends("ABORT WORK", TransactionEnd.ROLLBACK),
                new Ends("ROLLBACK TO SAVEPOINT s1", TransactionEnd.NONE),
                new Ends("ROLLBACK WORK TO s1", TransactionEnd.NONE),
                new Ends("COMMIT PREPARED 'tx-1'", TransactionEnd.NONE),
                new Ends("ROLLBACK PREPARED 'tx-1'", TransactionEnd.NONE),
                new Ends("BEGIN", TransactionEnd.NONE),
                new Ends("SAVEPOINT s1", TransactionEnd.NONE),
                new Ends("RELEASE SAVEPOINT s1", TransactionEnd.NONE),
                new Ends("PREPARE TRANSACTION 'tx-1'", TransactionEnd.NONE),
                new Ends("SELECT 'COMMIT'", TransactionEnd.NONE),
                new Ends("SELECT commit FROM audit", TransactionEnd.NONE),
                new Ends("DO $$ BEGIN COMMIT; END $$", TransactionEnd.NONE));
    }

    @ParameterizedTest
    @MethodSource("transactionEnds")
    void statementsThatEndTheSessionsTransactionAreKnown(Ends c) {
        StatementInfo info = classifier.classify(c.sql());

        assertThat(info.transactionEnd()).as(info.toString()).isEqualTo(c.end());
    }

    @Test
    void prepared_isStillAnAliasOrAName() {
        StatementInfo info = classifier.classify("SELECT prepared.id FROM items prepared ORDER BY prepared.embedding <-> $1 LIMIT 3");
        assertThat(info.isVectorSearch()).isTrue();
        assertThat(info.table()).isEqualTo("items");
        assertThat(classifier.classify("DELETE FROM prepared WHERE id = 1").table()).isEqualTo("prepared");
    }

    record Index(String sql, QueryType type, IndexOperation op, String method, String schema, String table, String indexName) {
        @Override
        public String toString() {
            return sql;
        }
    }

    static Stream<Index> indexStatements() {
        QueryType build = QueryType.INDEX_BUILD;
        QueryType maint = QueryType.INDEX_MAINTENANCE;
        return Stream.of(
                new Index("CREATE INDEX ON items USING hnsw (embedding vector_l2_ops)", build, IndexOperation.BUILD, "hnsw", null, "items", null),
                new Index("CREATE INDEX items_emb ON items USING hnsw (embedding ruvector_cosine_ops) WITH (m = 16, ef_construction = 64)",
                        build, IndexOperation.BUILD, "hnsw", null, "items", "items_emb"),
                new Index("create unique index concurrently if not exists \"Emb Idx\" on only app.items using RUHNSW (embedding)",
                        build, IndexOperation.BUILD, "ruhnsw", "app", "items", "Emb Idx"),
                new Index("CREATE INDEX CONCURRENTLY ON docs USING ruivfflat (embedding ruvector_l2_ops) WITH (lists = 100)",
                        build, IndexOperation.BUILD, "ruivfflat", null, "docs", null),
                new Index("CREATE INDEX ON items USING ivfflat (embedding vector_ip_ops) WITH (lists = 100)",
                        build, IndexOperation.BUILD, "ivfflat", null, "items", null),
                new Index("CREATE INDEX ON items USING btree (id)", QueryType.DDL, null, null, null, "items", null),
                new Index("REINDEX INDEX items_emb", maint, IndexOperation.REINDEX, null, null, null, "items_emb"),
                new Index("REINDEX (VERBOSE) INDEX CONCURRENTLY app.items_emb", maint, IndexOperation.REINDEX, null, "app", null, "items_emb"),
                new Index("REINDEX TABLE CONCURRENTLY app.items", maint, IndexOperation.REINDEX, null, "app", "items", null),
                new Index("REINDEX DATABASE mydb", maint, IndexOperation.REINDEX, null, null, null, null),
                new Index("VACUUM items", maint, IndexOperation.VACUUM, null, null, "items", null),
                new Index("VACUUM FULL ANALYZE app.items", maint, IndexOperation.VACUUM, null, "app", "items", null),
                new Index("VACUUM (VERBOSE, ANALYZE) items (embedding)", maint, IndexOperation.VACUUM, null, null, "items", null),
                new Index("VACUUM", maint, IndexOperation.VACUUM, null, null, null, null),
                new Index("ANALYZE items", maint, null, null, null, "items", null),
                new Index("ANALYZE VERBOSE \"Items\"", maint, null, null, null, "Items", null),
                new Index("DROP INDEX items_emb", maint, IndexOperation.DROP, null, null, null, "items_emb"),
                new Index("DROP INDEX CONCURRENTLY IF EXISTS app.items_emb CASCADE", maint, IndexOperation.DROP, null, "app", null, "items_emb"));
    }

    @ParameterizedTest
    @MethodSource("indexStatements")
    void indexStatementsCarryOperationMethodTableAndIndexName(Index c) {
        StatementInfo info = classifier.classify(c.sql());

        assertThat(info.queryType()).as(info.toString()).isEqualTo(c.type());
        assertThat(info.indexOperation()).as("operation").isEqualTo(c.op());
        assertThat(info.indexMethod()).as("method").isEqualTo(c.method());
        assertThat(info.schema()).as("schema").isEqualTo(c.schema());
        assertThat(info.table()).as("table").isEqualTo(c.table());
        assertThat(info.indexName()).as("index").isEqualTo(c.indexName());
    }

    record Write(String sql, QueryType type, IndexOperation op, String schema, String table) {
        @Override
        public String toString() {
            return sql;
        }
    }

    static Stream<Write> writes() {
        return Stream.of(
                new Write("INSERT INTO items (embedding) VALUES ('[1,2,3]'), ('[4,5,6]')", QueryType.INSERT, IndexOperation.INSERT, null, "items"),
                new Write("insert into app.items as i (id, embedding) values (?, ?) on conflict (id) do update set embedding = excluded.embedding",
                        QueryType.INSERT, IndexOperation.INSERT, "app", "items"),
                new Write("WITH src AS (SELECT * FROM staging) INSERT INTO items SELECT * FROM src", QueryType.INSERT, IndexOperation.INSERT, null, "items"),
                new Write("UPDATE items SET embedding = $1 WHERE id = $2", QueryType.UPDATE, IndexOperation.UPDATE, null, "items"),
                new Write("UPDATE ONLY \"Items\" AS i SET e = s.e FROM staged s WHERE s.id = i.id", QueryType.UPDATE, IndexOperation.UPDATE, null, "Items"),
                new Write("DELETE FROM items WHERE id = 1", QueryType.DELETE, IndexOperation.DELETE, null, "items"),
                new Write("DELETE FROM app.items i USING tomb t WHERE t.id = i.id", QueryType.DELETE, IndexOperation.DELETE, "app", "items"),
                new Write("WITH old AS (SELECT id FROM items WHERE created < now()) DELETE FROM items WHERE id IN (SELECT id FROM old)",
                        QueryType.DELETE, IndexOperation.DELETE, null, "items"));
    }

    @ParameterizedTest
    @MethodSource("writes")
    void writesCarryTheirTableAndIndexOperation(Write c) {
        StatementInfo info = classifier.classify(c.sql());

        assertThat(info.queryType()).as(info.toString()).isEqualTo(c.type());
        assertThat(info.indexOperation()).isEqualTo(c.op());
        assertThat(info.schema()).isEqualTo(c.schema());
        assertThat(info.table()).isEqualTo(c.table());
    }

    record Setting(String sql, String name, long value) {
        @Override
        public String toString() {
            return sql;
        }
    }

    static Stream<Setting> vectorSettings() {
        return Stream.of(
                new Setting("SET hnsw.ef_search = 100", "hnsw.ef_search", 100),
                new Setting("set local HNSW.EF_SEARCH to 40", "hnsw.ef_search", 40),
                new Setting("SET SESSION ruvector.ef_search=200", "ruvector.ef_search", 200),
                new Setting("SET ivfflat.probes = '10'", "ivfflat.probes", 10),
                new Setting("SET ruvector.probes TO 5", "ruvector.probes", 5),
                new Setting("SET hnsw.iterative_scan = relaxed_order", "hnsw.iterative_scan", 2),
                new Setting("SET hnsw.ef_search TO DEFAULT", "hnsw.ef_search", -1),
                new Setting("SELECT set_config('hnsw.ef_search', '100', false)", "hnsw.ef_search", 100),
                new Setting("select set_config('ruvector.probes', ?, true)", "ruvector.probes", -1));
    }

    @ParameterizedTest
    @MethodSource("vectorSettings")
    void vectorSettingsCarryNameAndValue(Setting c) {
        StatementInfo info = classifier.classify(c.sql());

        assertThat(info.queryType()).as(info.toString()).isEqualTo(QueryType.SET);
        assertThat(info.settingName()).isEqualTo(c.name());
        assertThat(info.settingValue()).isEqualTo(c.value());
    }

    @Test
    void otherSettingsAreSetWithoutName() {
        StatementInfo info = classifier.classify("SET statement_timeout = 5000");

        assertThat(info.queryType()).isEqualTo(QueryType.SET);
        assertThat(info.settingName()).isNull();
        assertThat(info.settingValue()).isEqualTo(-1);
    }

    @Test
    void severalStatementsWithoutSearchAreClassifiedByTheFirst() {
        assertThat(classifier.classify("UPDATE t SET a = 1; SELECT 1").queryType()).isEqualTo(QueryType.UPDATE);
        assertThat(classifier.classify(";; ; SELECT 1; BEGIN").queryType()).isEqualTo(QueryType.SELECT);
    }

    @Test
    void semicolonInsideStringOrBodyDoesNotSplitStatements() {
        StatementInfo info = classifier.classify(
                "CREATE FUNCTION f() RETURNS void AS $body$ SELECT 1; SELECT * FROM items ORDER BY e <-> '[1]'; $body$ LANGUAGE sql");

        assertThat(info.queryType()).isEqualTo(QueryType.DDL);
    }

    @Test
    void tableOfPlainSelectIsNotReported() {
        StatementInfo info = classifier.classify("SELECT * FROM items WHERE id = 1");

        assertThat(info.queryType()).isEqualTo(QueryType.SELECT);
        assertThat(info.table()).isNull();
        assertThat(info.metric()).isEqualTo(DistanceMetric.UNKNOWN);
        assertThat(info.limit()).isEqualTo(-1);
    }

    @Test
    void nullEmptyAndBlankAreUnknown() {
        assertThat(classifier.classify(null)).isSameAs(ClassifiedStatement.UNKNOWN);
        assertThat(classifier.classify("")).isSameAs(ClassifiedStatement.UNKNOWN);
        assertThat(classifier.classify("  \n\t ").queryType()).isEqualTo(QueryType.OTHER);
        assertThat(classifier.classify("-- only a comment").queryType()).isEqualTo(QueryType.OTHER);
    }

    @Test
    void cachedAndUncachedClassificationAgree() {
        String sql = "SELECT id FROM items ORDER BY embedding <=> $1 LIMIT 3";

        StatementInfo first = classifier.classify(sql);
        StatementInfo second = classifier.classify(new String(sql.toCharArray()));

        assertThat(second).isSameAs(first);
        assertThat(classifier.classifyUncached(sql)).usingRecursiveComparison().isEqualTo(first);
    }
}
