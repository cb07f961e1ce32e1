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

import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class SearchKFromParameterTest {

    @BeforeAll
    static void table() throws Exception {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS k_items (id bigserial PRIMARY KEY, embedding ruvector)");
            s.execute("TRUNCATE k_items");
            s.execute("INSERT INTO k_items (embedding) SELECT ARRAY[g, g, g]::real[] FROM generate_series(1, 50) g");
        }
    }

    @Test
    void kBoundToTheLimitPlaceholderIsRecordedForEachExecution() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry));
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id FROM k_items ORDER BY embedding <-> ?::real[] LIMIT ?")) {
            ps.setString(1, "{1,2,3}");
            ps.setInt(2, 7);
            drain(ps.executeQuery());
            ps.setLong(2, 3);
            drain(ps.executeQuery());
            ps.clearParameters();
            ps.setString(1, "{1,2,3}");
            ps.setObject(2, 5);
            drain(ps.executeQuery());
        }
        DistributionSummary k = registry.get("ruvector.search.k").tag("collection", "k_items").summary();
        assertThat(k.count()).isEqualTo(3);
        assertThat(k.totalAmount()).isEqualTo(15.0);
        DistributionSummary results = registry.get("ruvector.search.results").tag("collection", "k_items").summary();
        assertThat(results.totalAmount()).isEqualTo(15.0);
    }

    private static void drain(ResultSet rs) throws Exception {
        try (rs) {
            while (rs.next()) {
                rs.getLong(1);
            }
        }
    }
}
