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
import io.dpg.observability.jdbc.sql.QueryStat;
import io.dpg.observability.jdbc.sql.QueryStatistics;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryStatisticsIntegrationTest {

    @Test
    void statementsWithDifferentLiteralsShareOneFingerprintRow() throws Exception {
        ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(new SimpleMeterRegistry()));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                s.executeQuery("SELECT " + i + " WHERE 'x" + i + "' IN ('a', 'b', 'c')").close();
            }
            assertThatThrownBy(() -> s.execute("SELECT * FROM no_such_table_for_stats WHERE id = 7"))
                    .isInstanceOf(SQLException.class);
        }
        QueryStatistics stats = ds.queryStatistics();
        List<QueryStat> top = stats.top(10, QueryStatistics.Order.COUNT);
        QueryStat literal = top.get(0);
        assertThat(literal.count()).isEqualTo(5);
        assertThat(literal.fingerprint()).doesNotContain("'x1'").doesNotContain("3");
        assertThat(stats.top(10, QueryStatistics.Order.ERRORS).get(0).errors()).isEqualTo(1);
    }

    @Test
    void statisticsCanBeTurnedOff() {
        ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(new SimpleMeterRegistry()),
                JdbcObservabilityConfig.builder().queryStatisticsSize(0).build());
        assertThat(ds.queryStatistics()).isNull();
    }
}
