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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The lock-free set of open statements behind {@link ObservedConnection}, on real pgjdbc statements. */
class OpenStatementsTest {

    private ObservedDataSource ds;

    @BeforeEach
    void setUp() {
        ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(), DpgObservability.create(new SimpleMeterRegistry()));
    }

    @Test
    void memoryFollowsThePeakOfOpenStatementsNotHowManyWereEverCreated() throws SQLException {
        try (Connection c = ds.getConnection()) {
            ObservedConnection oc = (ObservedConnection) c;
            for (int i = 0; i < 100_000; i++) {
                Statement s = c.createStatement();
                s.close();
            }
            assertThat(oc.openStatements()).isZero();
            assertThat(oc.statementSegments()).isEqualTo(1);
            List<Statement> open = new ArrayList<>();
            for (int i = 0; i < 3 * OpenStatements.SEGMENT + 1; i++) {
                open.add(i % 2 == 0 ? c.createStatement() : c.prepareStatement("SELECT " + i));
            }
            assertThat(oc.openStatements()).isEqualTo(open.size());
            assertThat(oc.statementSegments()).isEqualTo(4);
            Collections.shuffle(open, new Random(7));
            for (Statement s : open.subList(0, 10)) {
                s.close();
            }
            assertThat(oc.openStatements()).isEqualTo(open.size() - 10);
            // freed slots are reused before any new segment
            for (int i = 0; i < 10; i++) {
                c.createStatement();
            }
            assertThat(oc.openStatements()).isEqualTo(open.size());
            assertThat(oc.statementSegments()).isEqualTo(4);
        }
    }

    @Test
    void closingTheConnectionClosesEveryStatementStillOpenAndOnlyThose() throws SQLException {
        Connection c = ds.getConnection();
        List<Statement> open = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            open.add(c.prepareStatement("SELECT " + i));
        }
        open.get(3).close();
        open.get(11).close();
        c.close();
        for (Statement s : open) {
            assertThat(s.isClosed()).isTrue();
        }
        assertThat(((ObservedConnection) c).openStatements()).isZero();
        // closing a statement after its connection closed it is a no-op, as on the driver
        open.get(0).close();
    }

    @Test
    void threadsSharingOneConnectionNeverLoseOrDoubleCountAStatement() throws Exception {
        int threads = 4;
        int rounds = 2_000;
        try (Connection c = ds.getConnection()) {
            ObservedConnection oc = (ObservedConnection) c;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<PreparedStatement>>> kept = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    kept.add(pool.submit(() -> {
                        start.await();
                        List<PreparedStatement> mine = new ArrayList<>();
                        for (int i = 0; i < rounds; i++) {
                            PreparedStatement ps = c.prepareStatement("SELECT 1");
                            if (i % 100 == 0) {
                                mine.add(ps); // keep a few open
                            } else {
                                ps.close();
                            }
                        }
                        return mine;
                    }));
                }
                int stillOpen = 0;
                for (Future<List<PreparedStatement>> f : kept) {
                    stillOpen += f.get().size();
                }
                assertThat(oc.openStatements()).isEqualTo(stillOpen).isEqualTo(threads * rounds / 100);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
