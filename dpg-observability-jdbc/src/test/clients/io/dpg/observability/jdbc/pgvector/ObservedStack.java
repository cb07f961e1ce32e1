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

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import javax.sql.DataSource;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One application stack over PGlite, wired as {@link Wiring} says, with its own meter registry; the
 * {@link #dataSource()} is what the client library is given. Pools stay small (PGlite accepts few connections).
 */
final class ObservedStack implements AutoCloseable {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RegistryReader meters = new RegistryReader(registry);
    final ObservedDataSource observed;
    private final HikariDataSource pool;
    private final DataSource app;

    private ObservedStack(PgliteServer pglite, Wiring wiring) {
        DpgObservability obs = DpgObservability.create(registry);
        switch (wiring) {
            case OBSERVED:
                pool = null;
                observed = ObservedDataSource.wrap(pglite.dataSource(), obs);
                app = observed;
                break;
            case OBSERVED_IN_FRONT_OF_HIKARI:
                pool = hikari(pglite.dataSource());
                observed = ObservedDataSource.wrap(pool, obs);
                app = observed;
                break;
            default:
                observed = ObservedDataSource.wrap(pglite.dataSource(), obs);
                pool = hikari(observed);
                app = pool;
        }
    }

    static ObservedStack create(PgliteServer pglite, Wiring wiring) {
        return new ObservedStack(pglite, wiring);
    }

    private static HikariDataSource hikari(DataSource target) {
        HikariConfig c = new HikariConfig();
        c.setDataSource(target);
        c.setMaximumPoolSize(2);
        c.setMinimumIdle(0);
        c.setConnectionTimeout(30_000);
        c.setPoolName("clients");
        return new HikariDataSource(c);
    }

    /** What the application (the client library) uses. */
    DataSource dataSource() {
        return app;
    }

    /** Waits until the wrapper's vector-index catalog has read the indexes now on the server. */
    void awaitVectorIndexCatalog() throws Exception {
        assertThat(observed.refreshVectorIndexes().get(60, TimeUnit.SECONDS)).as("catalog refresh").isTrue();
    }

    long searches(String collection, String metric) {
        return meters.timerCount("ruvector.search.latency", "collection", collection, "metric", metric,
                "outcome", "success");
    }

    long allSearches() {
        return meters.timerCount("ruvector.search.latency");
    }

    double kTotal(String collection) {
        return meters.summaryTotal("ruvector.search.k", "collection", collection);
    }

    long resultSets(String collection) {
        return meters.summaryCount("ruvector.search.results", "collection", collection);
    }

    double rowsRead(String collection) {
        return meters.summaryTotal("ruvector.search.results", "collection", collection);
    }

    double indexOperations(String collection, String operation) {
        return meters.counter("ruvector.index.operations", "collection", collection, "operation", operation,
                "outcome", "success");
    }

    @Override
    public void close() throws Exception {
        if (pool != null) {
            pool.close();
        }
        observed.close();
    }
}
