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
package io.dpg.observability.jdbc;

import io.dpg.observability.jdbc.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class RuVectorStandInTest {

    @Test
    void standInBuildsAnIndexTheCatalogReportsAsHnsw() throws Exception {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS standin_items");
            s.execute("CREATE TABLE standin_items (id bigserial PRIMARY KEY, embedding ruvector)");
            s.execute("INSERT INTO standin_items (embedding) SELECT ARRAY[random(), random(), random()]::real[]"
                    + " FROM generate_series(1, 500)");
            s.execute("CREATE INDEX standin_items_hnsw ON standin_items USING hnsw (embedding ruvector_l2_ops)");
            try (ResultSet rs = s.executeQuery("SELECT a.amname, pg_relation_size(c.oid) FROM pg_class c"
                    + " JOIN pg_am a ON a.oid = c.relam WHERE c.relname = 'standin_items_hnsw'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("hnsw");
                assertThat(rs.getLong(2)).isPositive();
            }
            try (ResultSet rs = s.executeQuery("SELECT id FROM standin_items"
                    + " ORDER BY embedding <-> ARRAY[0.5, 0.5, 0.5]::real[] LIMIT 5")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertThat(n).isEqualTo(5);
            }
            try (ResultSet rs = s.executeQuery("SELECT extname FROM pg_extension WHERE extname = 'ruvector'")) {
                assertThat(rs.next()).isTrue();
            }
            try (ResultSet rs = s.executeQuery("SELECT (ruvector_memory_stats()->>'index_memory_mb')::float8,"
                    + " ruvector_is_healthy()")) {
                rs.next();
                assertThat(rs.getDouble(1)).isPositive();
                assertThat(rs.getBoolean(2)).isTrue();
            }
        }
    }
}
