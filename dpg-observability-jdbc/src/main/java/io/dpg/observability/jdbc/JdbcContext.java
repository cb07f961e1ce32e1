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
import io.dpg.observability.jdbc.quality.SearchQuality;
import io.dpg.observability.jdbc.sql.QueryStatistics;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.micrometer.core.instrument.Clock;

import javax.sql.DataSource;
import java.util.function.Function;

/**
 * What one {@link ObservedDataSource} shares with every wrapper it hands out, one part per concern:
 * <ul>
 *   <li>{@link ExecutionPlans}: SQL text to execution plan, through one bounded cache;</li>
 *   <li>{@link ExecutionRecorder}: each execution recorded once (meters, statistics, listener);</li>
 *   <li>{@link ConnectionMeters}: acquire, use, hold time, transactions and leak detection;</li>
 *   <li>{@link BackgroundWork}: the one background thread (leak checks, explicit catalog refreshes);</li>
 *   <li>{@link VectorIndexCatalog}: which tables carry a vector index, read on connections the application
 *       acquires;</li>
 *   <li>{@link SearchQuality}: the search-quality sampler (recall@k, index usage), null when off.</li>
 * </ul>
 */
final class JdbcContext {

    final DpgObservability obs;
    final JdbcObservabilityConfig config;
    final Clock clock;
    /** The in-process per-fingerprint table (a client-side pg_stat_statements), or null when turned off. */
    final QueryStatistics statistics;
    /** Null when the catalog is never read. */
    final VectorIndexCatalog catalog;
    final ConnectionMeters connections;
    final BackgroundWork background;
    final ExecutionPlans plans;
    final ExecutionRecorder recorder;
    /** The vector search settings searches ran with ({@code ruvector.search.setting}). */
    final SearchSettings settings;
    /** Server notices on vector index builds ({@code ruvector.index.build.notices}). */
    final IndexBuildNotices buildNotices;
    /** The search-quality sampler, or null when it is off. */
    final SearchQuality quality;

    JdbcContext(DataSource delegate, DpgObservability obs, JdbcObservabilityConfig config,
                Function<String, StatementInfo> classifier) {
        this.obs = obs;
        this.config = config;
        this.clock = obs.config().clock();
        this.statistics = config.queryStatisticsSize() > 0 ? new QueryStatistics(config.queryStatisticsSize()) : null;
        this.catalog = config.vectorIndexRefreshInterval().isZero() ? null
                : new VectorIndexCatalog(delegate, config.catalogQueryTimeout(), config.vectorIndexRefreshInterval());
        this.connections = new ConnectionMeters(obs, config, delegate);
        this.background = new BackgroundWork(connections.poolName(), catalog, connections.leakDetection());
        this.plans = new ExecutionPlans(obs, config, classifier, catalog);
        this.recorder = new ExecutionRecorder(obs, both(config.statementSpans(), config.statementListener()), statistics,
                connections, catalog);
        this.settings = new SearchSettings(obs);
        this.buildNotices = new IndexBuildNotices(obs);
        if (catalog != null) {
            catalog.alsoRead(settings::readDefaults); // the session defaults, read with the catalog
        }
        VectorIndexCatalog cat = catalog;
        this.quality = config.searchQuality().enabled()
                ? new SearchQuality(delegate, obs, config.searchQuality(), connections.poolName(),
                        connections::inUse, () -> cat == null ? null : cat.snapshot())
                : null;
        recorder.quality = quality;
    }

    /** One listener telling {@code first} then {@code second} (either may be null); the second is told whatever the first does. */
    private static StatementListener both(StatementListener first, StatementListener second) {
        if (first == null || second == null) {
            return first == null ? second : first;
        }
        return (info, nanos, updateCount, failure) -> {
            try {
                first.executed(info, nanos, updateCount, failure);
            } finally {
                second.executed(info, nanos, updateCount, failure);
            }
        };
    }

    /** The {@code pool} tag of this DataSource's connection meters. */
    String poolName() {
        return connections.poolName();
    }

    void close() {
        if (quality != null) {
            quality.close();
        }
        connections.close();
        background.close();
    }
}
