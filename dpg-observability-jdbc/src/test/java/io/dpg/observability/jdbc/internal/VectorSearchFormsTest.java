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
import io.dpg.observability.QueryType;
import io.dpg.observability.jdbc.sql.StatementInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.dpg.observability.DistanceMetric.COSINE;
import static io.dpg.observability.DistanceMetric.HAMMING;
import static io.dpg.observability.DistanceMetric.INNER_PRODUCT;
import static io.dpg.observability.DistanceMetric.JACCARD;
import static io.dpg.observability.DistanceMetric.L1;
import static io.dpg.observability.DistanceMetric.L2;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every form in which a k-nearest-neighbour search reaches the database, one row each: where the distance sits
 * (ORDER BY, select-list alias, output position, inside an expression, behind casts), which operator or function,
 * where the search sits (CTE, subquery, LATERAL, window), and where k comes from. The shapes the real client
 * libraries send are proven against the libraries themselves in the pgvector profile ({@code src/test/clients});
 * here they are classified as text.
 */
class VectorSearchFormsTest {

    private final SqlClassifier classifier = new SqlClassifier(1000);

    /** Expected: table searched, metric, literal k (-1 if none), 1-based placeholder of k (-1 if none). */
    record Form(String what, String sql, String table, DistanceMetric metric, long k, int kParameter) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Form> searches() {
        return Stream.of(
                // every pgvector 0.8 operator, directly in ORDER BY
                new Form("l2 operator", "SELECT * FROM items ORDER BY embedding <-> ? LIMIT 5", "items", L2, 5, -1),
                new Form("cosine operator", "SELECT * FROM items ORDER BY embedding <=> ? LIMIT 5", "items", COSINE, 5, -1),
                new Form("inner product operator", "SELECT * FROM items ORDER BY embedding <#> ? LIMIT 5", "items", INNER_PRODUCT, 5, -1),
                new Form("l1 operator", "SELECT * FROM items ORDER BY embedding <+> ? LIMIT 5", "items", L1, 5, -1),
                new Form("hamming operator", "SELECT * FROM items ORDER BY embedding <~> '101' LIMIT 5", "items", HAMMING, 5, -1),
                new Form("jaccard operator", "SELECT * FROM items ORDER BY embedding <%> '101' LIMIT 5", "items", JACCARD, 5, -1),
                new Form("operators without spaces", "select id from items order by embedding<%>?::bit(3) limit 2", "items", JACCARD, 2, -1),
                // pgvector's and RuVector's distance functions
                new Form("l2_distance", "SELECT id FROM docs ORDER BY l2_distance(embedding, ?) LIMIT 4", "docs", L2, 4, -1),
                new Form("cosine_distance", "SELECT id FROM docs ORDER BY cosine_distance(embedding, ?) LIMIT 4", "docs", COSINE, 4, -1),
                new Form("inner_product", "SELECT id FROM docs ORDER BY inner_product(embedding, ?) DESC LIMIT 4", "docs", INNER_PRODUCT, 4, -1),
                new Form("l1_distance", "SELECT id FROM docs ORDER BY l1_distance(embedding, ?) LIMIT 4", "docs", L1, 4, -1),
                new Form("hamming_distance", "SELECT id FROM docs ORDER BY hamming_distance(bits, ?) LIMIT 4", "docs", HAMMING, 4, -1),
                new Form("jaccard_distance", "SELECT id FROM docs ORDER BY jaccard_distance(bits, ?) LIMIT 4", "docs", JACCARD, 4, -1),
                new Form("ruvector_ip_distance", "SELECT id FROM docs ORDER BY ruvector_ip_distance(embedding, ?) LIMIT 4", "docs", INNER_PRODUCT, 4, -1),
                new Form("schema-qualified function", "SELECT id FROM docs ORDER BY public.hamming_distance(bits, ?) LIMIT 4", "docs", HAMMING, 4, -1),
                // behind casts
                new Form("::vector", "SELECT id FROM items ORDER BY embedding::vector <-> ?::vector LIMIT 3", "items", L2, 3, -1),
                new Form("::halfvec(n)", "SELECT id FROM items ORDER BY embedding::halfvec(3) <-> '[1,2,3]'::halfvec(3) LIMIT 5", "items", L2, 5, -1),
                new Form("::sparsevec", "SELECT id FROM items ORDER BY embedding::sparsevec <=> '{1:1,3:2}/5'::sparsevec LIMIT 5", "items", COSINE, 5, -1),
                new Form("::bit(n)", "SELECT id FROM items ORDER BY bits::bit(3) <~> B'101'::bit(3) LIMIT 5", "items", HAMMING, 5, -1),
                new Form("::ruvector", "SELECT id FROM items ORDER BY embedding <=> $1::ruvector(3) LIMIT 5", "items", COSINE, 5, -1),
                new Form("CAST(... AS vector(n))", "SELECT id FROM items ORDER BY CAST(embedding AS vector(3)) <#> CAST(? AS vector(3)) LIMIT 5", "items", INNER_PRODUCT, 5, -1),
                new Form("binary_quantize", "SELECT id FROM items ORDER BY binary_quantize(embedding)::bit(3) <~> binary_quantize('[1,-2,3]') LIMIT 20", "items", HAMMING, 20, -1),
                // inside an expression
                new Form("parenthesised (Hibernate)", "select d1_0.id from documents d1_0 order by (d1_0.embedding<=>?) fetch first ? rows only", "documents", COSINE, -1, 2),
                new Form("similarity expression", "SELECT id FROM items ORDER BY 1 - (embedding <=> ?) DESC LIMIT 7", "items", COSINE, 7, -1),
                new Form("negated inner product", "SELECT id FROM items ORDER BY (embedding <#> ?) * -1 DESC LIMIT 7", "items", INNER_PRODUCT, 7, -1),
                // through a select-list alias
                new Form("alias (Spring AI shape)", "SELECT *, embedding <=> ? AS distance FROM vector_store WHERE embedding <=> ? < ? ORDER BY distance LIMIT ?",
                        "vector_store", COSINE, -1, 4),
                new Form("alias with a metadata filter (Spring AI shape)", "SELECT *, embedding <-> ? AS distance FROM public.vector_store "
                        + "WHERE embedding <-> ? < ? AND metadata::jsonb @@ '$.country == \"BG\"'::jsonpath ORDER BY distance LIMIT ?",
                        "vector_store", L2, -1, 4),
                new Form("alias of a shifted inner product (Spring AI shape)", "SELECT *, (1 + (embedding <#> ?)) AS distance FROM vector_store "
                        + "WHERE (1 + (embedding <#> ?)) < ?  ORDER BY distance LIMIT ? ", "vector_store", INNER_PRODUCT, -1, 4),
                new Form("three inlined literals (LangChain4j shape)", "SELECT (2 - (embedding <=> '[0.1,0.2,0.3]')) / 2 AS score, embedding_id, "
                        + "embedding, text, metadata FROM embeddings WHERE round(cast(float8 (embedding <=> '[0.1,0.2,0.3]') as numeric), 8) "
                        + "<= round(2 - 2 * 0.0, 8)  ORDER BY embedding <=> '[0.1,0.2,0.3]' LIMIT 3;", "embeddings", COSINE, 3, -1),
                new Form("hybrid with rank fusion (LangChain4j shape)", "WITH vector_search AS (\n  SELECT\n    embedding_id, embedding, text , metadata,\n"
                        + "    RANK() OVER (ORDER BY embedding <=> '[0.1,0.2,0.3]') AS rnk\n  FROM embeddings\n  \n"
                        + "  ORDER BY embedding <=> '[0.1,0.2,0.3]'\n  LIMIT 6\n), keyword_search AS (\n  SELECT\n"
                        + "    embedding_id, embedding, text , metadata,\n    RANK() OVER (ORDER BY ts_rank(to_tsvector('simple', coalesce(text, '')), "
                        + "plainto_tsquery('simple', ?)) DESC) AS rnk\n  FROM embeddings\n  WHERE to_tsvector('simple', coalesce(text, '')) @@ "
                        + "plainto_tsquery('simple', ?)\n    \n  ORDER BY ts_rank(to_tsvector('simple', coalesce(text, '')), plainto_tsquery('simple', ?)) DESC\n"
                        + "  LIMIT 6\n)\nSELECT * FROM (\n  SELECT\n    COALESCE(v.embedding_id, k.embedding_id) AS embedding_id,\n"
                        + "    COALESCE(v.embedding, k.embedding) AS embedding,\n    COALESCE(v.text, k.text) AS text\n    , COALESCE(v.metadata, k.metadata) AS metadata,\n"
                        + "    COALESCE(1.0 / (60 + v.rnk), 0.0) + COALESCE(1.0 / (60 + k.rnk), 0.0) AS score\n  FROM vector_search v\n"
                        + "  FULL OUTER JOIN keyword_search k ON v.embedding_id = k.embedding_id\n) ranked\nWHERE ranked.score >= ?\n"
                        + "ORDER BY ranked.score DESC\nLIMIT 3;", "embeddings", COSINE, 6, -1),
                new Form("alias without AS", "SELECT id, embedding <#> $1 d FROM items ORDER BY d LIMIT 3", "items", INNER_PRODUCT, 3, -1),
                new Form("alias after a cast", "SELECT id, (embedding <=> $1)::float4 AS d FROM items ORDER BY d LIMIT 3", "items", COSINE, 3, -1),
                new Form("alias case-folded", "SELECT id, embedding <-> $1 AS Dist FROM items ORDER BY DIST LIMIT 3", "items", L2, 3, -1),
                new Form("quoted alias", "SELECT id, embedding <-> $1 AS \"Dist\" FROM items ORDER BY \"Dist\" ASC NULLS LAST LIMIT 3", "items", L2, 3, -1),
                new Form("alias of an expression", "SELECT id, 1 - (embedding <=> $1) AS similarity FROM items ORDER BY similarity DESC LIMIT 5", "items", COSINE, 5, -1),
                new Form("alias of a function", "SELECT id, l1_distance(embedding, $1) AS d FROM items ORDER BY d LIMIT 5", "items", L1, 5, -1),
                new Form("alias as second sort key", "SELECT id, embedding <-> $1 AS d FROM items ORDER BY category, d LIMIT 5", "items", L2, 5, -1),
                new Form("DISTINCT ON with alias", "SELECT DISTINCT ON (doc_id) doc_id, embedding <=> $1 AS d FROM chunks ORDER BY doc_id, d LIMIT 5", "chunks", COSINE, 5, -1),
                // through an output position
                new Form("position", "SELECT id, embedding <-> $1 FROM items ORDER BY 2 LIMIT 5", "items", L2, 5, -1),
                new Form("position after a star", "SELECT embedding <=> $1, * FROM items ORDER BY 1 DESC LIMIT 5", "items", COSINE, 5, -1),
                // k
                new Form("k placeholder", "SELECT id FROM items ORDER BY embedding <-> ? LIMIT ?", "items", L2, -1, 2),
                new Form("k $n", "SELECT id FROM items ORDER BY embedding <-> $2 LIMIT $1", "items", L2, -1, 1),
                new Form("FETCH FIRST n", "SELECT id FROM items ORDER BY embedding <-> ? FETCH FIRST 12 ROWS ONLY", "items", L2, 12, -1),
                new Form("LIMIT before OFFSET", "SELECT id FROM items ORDER BY embedding <-> ? LIMIT 10 OFFSET 20", "items", L2, 10, -1),
                new Form("no LIMIT", "SELECT id FROM items ORDER BY embedding <-> ?", "items", L2, -1, -1),
                // query vector literal, bound or sub-selected
                new Form("literal query vector", "SELECT id FROM items ORDER BY embedding <-> '[0.1,0.2,0.3]' LIMIT 3", "items", L2, 3, -1),
                new Form("sub-selected query vector", "SELECT id FROM items WHERE id <> 1 ORDER BY embedding <-> (SELECT embedding FROM items WHERE id = 1) LIMIT 5",
                        "items", L2, 5, -1),
                new Form("query vector from a CTE", "WITH q AS (SELECT embedding AS v FROM items WHERE id = $1) SELECT i.id FROM items i, q ORDER BY i.embedding <-> q.v LIMIT $2",
                        "items", L2, -1, 2),
                // the search inside a CTE, with its own k
                new Form("CTE, k placeholder", "WITH hits AS (SELECT id FROM chunks ORDER BY embedding <=> ? LIMIT ?) SELECT * FROM hits JOIN docs USING (id)",
                        "chunks", COSINE, -1, 2),
                new Form("CTE, FETCH FIRST", "WITH hits AS (SELECT id FROM chunks ORDER BY embedding <-> $1 FETCH FIRST 8 ROWS ONLY) SELECT * FROM hits",
                        "chunks", L2, 8, -1),
                new Form("CTE, alias", "WITH hits AS (SELECT id, embedding <=> $1 AS d FROM chunks ORDER BY d LIMIT 9) SELECT * FROM hits ORDER BY id",
                        "chunks", COSINE, 9, -1),
                // subqueries and LATERAL
                new Form("re-ranking: the outer search is the result", "SELECT * FROM (SELECT * FROM items ORDER BY binary_quantize(embedding)::bit(3) "
                        + "<~> binary_quantize('[1,-2,3]') LIMIT 20) AS t ORDER BY t.embedding <=> '[1,-2,3]' LIMIT 5", "items", COSINE, 5, -1),
                new Form("subquery search", "SELECT * FROM (SELECT id FROM items ORDER BY embedding <#> ? LIMIT 30) s ORDER BY id", "items", INNER_PRODUCT, 30, -1),
                new Form("LATERAL with alias", "SELECT q.id, n.* FROM queries q, LATERAL (SELECT id, embedding <=> q.embedding AS d FROM items ORDER BY d LIMIT 3) n",
                        "items", COSINE, 3, -1),
                // window functions: hybrid search with reciprocal rank fusion
                new Form("ordered by a window's rank over a distance", "SELECT id, RANK() OVER (ORDER BY embedding <=> $1) AS rank FROM documents ORDER BY rank LIMIT 20",
                        "documents", COSINE, 20, -1),
                new Form("reciprocal rank fusion (rank alias in CTE)", "WITH full_text AS (SELECT id, row_number() OVER (ORDER BY ts_rank_cd(fts, "
                        + "websearch_to_tsquery($1)) DESC) AS rank_ix FROM documents WHERE fts @@ websearch_to_tsquery($1) ORDER BY rank_ix "
                        + "LIMIT least($3, 30) * 2), semantic AS (SELECT id, row_number() OVER (ORDER BY embedding <#> $2) AS rank_ix "
                        + "FROM documents ORDER BY rank_ix LIMIT least($3, 30) * 2) SELECT documents.* FROM full_text FULL OUTER JOIN semantic "
                        + "ON full_text.id = semantic.id JOIN documents ON coalesce(full_text.id, semantic.id) = documents.id "
                        + "ORDER BY coalesce(1.0 / (50 + full_text.rank_ix), 0.0) + coalesce(1.0 / (50 + semantic.rank_ix), 0.0) DESC "
                        + "LIMIT least($3, 30)", "documents", INNER_PRODUCT, -1, -1),
                new Form("reciprocal rank fusion (ordered CTE)", "WITH semantic_search AS (SELECT id, RANK () OVER (ORDER BY embedding <=> ?) AS rank "
                        + "FROM documents ORDER BY embedding <=> ? LIMIT 20), keyword_search AS (SELECT id, RANK () OVER (ORDER BY "
                        + "ts_rank_cd(to_tsvector('english', content), query) DESC) FROM documents, plainto_tsquery('english', ?) query "
                        + "WHERE to_tsvector('english', content) @@ query ORDER BY ts_rank_cd(to_tsvector('english', content), query) DESC LIMIT 20) "
                        + "SELECT COALESCE(semantic_search.id, keyword_search.id) AS id, COALESCE(1.0 / (? + semantic_search.rank), 0.0) + "
                        + "COALESCE(1.0 / (? + keyword_search.rank), 0.0) AS score FROM semantic_search FULL OUTER JOIN keyword_search "
                        + "ON semantic_search.id = keyword_search.id ORDER BY score DESC LIMIT 5", "documents", COSINE, 20, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("searches")
    void everyFormOfAVectorSearchIsRecognised(Form c) {
        StatementInfo info = classifier.classify(c.sql());

        assertThat(info.queryType()).as(info.toString()).isEqualTo(QueryType.VECTOR_SEARCH);
        assertThat(info.table()).as("table").isEqualTo(c.table());
        assertThat(info.metric()).as("metric").isEqualTo(c.metric());
        assertThat(info.limit()).as("k").isEqualTo(c.k());
        assertThat(info.limitParameter()).as("k placeholder").isEqualTo(c.kParameter());
        assertThat(info.isDistanceFilter()).isFalse();
    }

    record NotSearch(String what, String sql) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<NotSearch> notSearches() {
        return Stream.of(
                new NotSearch("distance selected, ordered by something else", "SELECT id, embedding <-> $1 AS d FROM items ORDER BY id LIMIT 5"),
                new NotSearch("position of a column that is not a distance", "SELECT 1 <-> 2, id FROM t ORDER BY 2"),
                new NotSearch("alias of a column that is not a distance", "SELECT id AS d, embedding <-> $1 AS e FROM items ORDER BY d"),
                new NotSearch("window over a distance, not ordered by it", "SELECT id, row_number() OVER (ORDER BY embedding <-> $1) AS r FROM items"),
                new NotSearch("aggregate ordered by a distance", "SELECT array_agg(id ORDER BY embedding <-> $1) FROM items"),
                new NotSearch("alias in an expression (not an output-name reference)", "SELECT id, embedding <-> $1 AS d FROM items ORDER BY d + 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notSearches")
    void aDistanceThatDoesNotOrderTheResultIsNoSearch(NotSearch c) {
        StatementInfo info = classifier.classify(c.sql());

        assertThat(info.queryType()).as(info.toString()).isEqualTo(QueryType.SELECT);
        assertThat(info.isDistanceFilter()).isFalse();
    }

    static Stream<Form> distanceFilters() {
        return Stream.of(
                new Form("range filter", "SELECT * FROM items WHERE embedding <-> $1 < 0.5", "items", L2, -1, -1),
                new Form("range filter by function, other order", "SELECT id FROM docs d WHERE cosine_distance(d.embedding, $1) < 0.2 ORDER BY id",
                        "docs", COSINE, -1, -1),
                new Form("bit filter in parentheses", "SELECT count(*) FROM items WHERE (bits <~> B'101') <= 1", "items", HAMMING, -1, -1),
                new Form("filter in a subquery", "SELECT * FROM docs WHERE id IN (SELECT doc_id FROM chunks WHERE embedding <=> ? < 0.3)", "chunks", COSINE, -1, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distanceFilters")
    void aDistanceFilterWithoutOrderingIsASelectMarkedAsDistanceFilter(Form c) {
        StatementInfo info = classifier.classify(c.sql());

        assertThat(info.queryType()).as(info.toString()).isEqualTo(QueryType.SELECT);
        assertThat(info.isVectorSearch()).isFalse();
        assertThat(info.isDistanceFilter()).isTrue();
        assertThat(info.table()).isEqualTo(c.table());
        assertThat(info.metric()).isEqualTo(c.metric());
    }

    @Test
    void aSearchThatAlsoFiltersByDistanceIsASearch() {
        StatementInfo info = classifier.classify(
                "SELECT *, embedding <=> ? AS distance FROM vector_store WHERE embedding <=> ? < ? ORDER BY distance LIMIT ?");

        assertThat(info.isVectorSearch()).isTrue();
        assertThat(info.isDistanceFilter()).isFalse();
    }

    @Test
    void theSearchOfAMultiStatementStringIsFoundAfterItsSettings() {
        StatementInfo info = classifier.classify("SET LOCAL hnsw.ef_search = 100; SET LOCAL hnsw.iterative_scan = relaxed_order; "
                + "SELECT id, embedding <=> $1 AS d FROM items ORDER BY d LIMIT 10");

        assertThat(info.isVectorSearch()).isTrue();
        assertThat(info.metric()).isEqualTo(COSINE);
        assertThat(info.limit()).isEqualTo(10);
    }
}
