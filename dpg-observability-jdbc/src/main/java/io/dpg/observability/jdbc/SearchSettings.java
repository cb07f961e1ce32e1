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
import io.dpg.observability.jdbc.quality.ParameterCapture;
import io.dpg.observability.jdbc.sql.SettingChange;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.dpg.observability.vector.VectorSearchObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The vector search settings a search ran with: {@code ruvector.search.setting{collection, setting}}, the value
 * of each {@link SettingChange#TRACKED} setting in effect for the last search on the collection.
 *
 * <p>Design notes.
 * <ul>
 *   <li>Layers, most specific first: the connection's {@code SET LOCAL} / {@code set_config(.., true)} (until its
 *       transaction ends; in autocommit mode only within its own SQL string), the connection's {@code SET} /
 *       {@code set_config(.., false)} ({@link Session}); then the session default, read with the vector-index
 *       catalog on a connection of the same DataSource ({@code pg_settings.reset_val}), so it includes
 *       {@code postgresql.conf}, {@code ALTER SYSTEM}, {@code ALTER DATABASE / ROLE ... SET} and the DataSource's
 *       connection {@code options}; last pgvector's built-in default (ef_search 40, iterative_scan off,
 *       max_scan_tuples 20000, probes 1). A RuVector setting with no known value stays unknown (NaN), never a
 *       guess.</li>
 *   <li>Cost: a statement that changes nothing and is no search pays one null check. A search pays one lock-free
 *       map read and seven array reads (opaque: plain loads); a value is written (opaque, no fence) only when it
 *       differs from the last search's, so concurrent searches with the same settings share the array's cache
 *       line read-only. The per-connection state is two {@code long[7]}, made on the first change. A gauge read
 *       may see a mix of two searches' values, never a torn one.</li>
 *   <li>Never throws to the caller: callers wrap in try/catch like all bookkeeping.</li>
 * </ul>
 */
final class SearchSettings {

    static final String NAME = "ruvector.search.setting";
    static final long UNSET = Long.MIN_VALUE;
    /** Set on the connection to a value this library cannot read (a placeholder it did not see bound). */
    static final long UNKNOWN = Long.MIN_VALUE + 1;
    private static final int N = SettingChange.TRACKED.size();
    /** pgvector 0.8's compiled-in defaults, by {@link SettingChange#TRACKED} index; UNSET where unknown. */
    private static final long[] BUILT_IN = {40, 0, 20000, 1, 0, UNSET, UNSET};

    private final DpgObservability obs;
    private final ConcurrentHashMap<VectorSearchObserver, AtomicLongArray> byCollection = new ConcurrentHashMap<>();
    /** Session defaults as last read; UNSET where the server has none (the built-in default then applies). */
    private volatile long[] defaults = filled(UNSET);

    SearchSettings(DpgObservability obs) {
        this.obs = obs;
    }

    private static long[] filled(long v) {
        long[] a = new long[N];
        java.util.Arrays.fill(a, v);
        return a;
    }

    static int index(String name) {
        return SettingChange.TRACKED.indexOf(name);
    }

    // ---------------------------------------------------------------- session defaults

    /**
     * Each tracked setting's session default: {@code pg_settings.reset_val} (what {@code RESET} would restore, so
     * a {@code SET} an earlier user of a pooled connection left behind is not taken for the default), else
     * {@code current_setting(name, true)} for a setting {@code pg_settings} does not list.
     */
    static final String DEFAULTS_QUERY;

    static {
        StringBuilder b = new StringBuilder("SELECT ");
        for (int i = 0; i < N; i++) {
            String name = SettingChange.TRACKED.get(i);
            b.append(i == 0 ? "" : ", ")
                    .append("coalesce((SELECT reset_val FROM pg_catalog.pg_settings WHERE name = '").append(name)
                    .append("'), current_setting('").append(name).append("', true))");
        }
        DEFAULTS_QUERY = b.toString();
    }

    /**
     * Reads the session defaults on {@code c}: a connection the application acquired, read before it is handed
     * out and outside any transaction of the application's (see {@link VectorIndexCatalog}). Never throws.
     */
    void readDefaults(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(DEFAULTS_QUERY)) {
            if (rs.next()) {
                long[] read = filled(UNSET);
                for (int i = 0; i < N; i++) {
                    read[i] = parse(SettingChange.TRACKED.get(i), rs.getString(i + 1));
                }
                defaults = read;
            }
        } catch (SQLException | RuntimeException ignored) {
            // keep the last defaults; the catalog logs its own connection problems
        }
    }

    static long parse(String name, String text) {
        if (text == null || text.isEmpty()) {
            return UNSET;
        }
        if (SettingChange.isIterativeScan(name)) {
            long v = SettingChange.iterativeScan(text);
            return v < 0 ? UNSET : v;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return UNSET;
        }
    }

    // ---------------------------------------------------------------- executions

    /**
     * After a successful execution of {@code plan} on a connection whose state is {@code session} (created on
     * demand through {@code owner}): applies the string's setting changes, then, for a search, publishes what it
     * ran with. {@code bound} is the value bound to a {@code set_config(name, ?, ..)} placeholder (UNSET if none);
     * {@code ownTransaction}: the string ran in autocommit mode, so its {@code SET LOCAL}s end with it.
     */
    void executed(ObservedConnection owner, ExecutionPlan plan, long bound, boolean ownTransaction) {
        StatementInfo info = plan.info;
        List<SettingChange> changes = info.settingChanges();
        Session session = owner.searchSettings;
        if (!changes.isEmpty()) {
            if (session == null) {
                session = owner.searchSettings = new Session();
            }
            for (SettingChange ch : changes) {
                session.apply(ch, bound);
            }
        }
        if (plan.search != null) {
            searched(plan.search, session);
        }
        if (session != null && (ownTransaction || info.transactionEnd() != io.dpg.observability.jdbc.sql.TransactionEnd.NONE)) {
            session.transactionEnded(info.transactionEnd() != io.dpg.observability.jdbc.sql.TransactionEnd.ROLLBACK);
            // autocommit: each string is its own transaction
        }
    }

    private void searched(VectorSearchObserver search, Session session) {
        AtomicLongArray values = byCollection.get(search);
        if (values == null) {
            values = byCollection.computeIfAbsent(search, this::register);
        }
        long[] d = defaults;
        for (int i = 0; i < N; i++) {
            long v = session == null ? UNSET : session.value(i);
            if (v == UNSET) {
                v = d[i] != UNSET ? d[i] : BUILT_IN[i];
            }
            // written only when it changed, without a fence: searches that run with the settings the last one
            // ran with (nearly all) only read, so threads searching one collection do not pass its line around
            if (values.getOpaque(i) != v) {
                values.setOpaque(i, v);
            }
        }
    }

    private AtomicLongArray register(VectorSearchObserver search) {
        AtomicLongArray values = new AtomicLongArray(N);
        for (int i = 0; i < N; i++) {
            values.set(i, UNSET);
            final int at = i;
            Gauge.builder(NAME, values, a -> a.get(at) <= UNKNOWN ? Double.NaN : a.get(at))
                    .description("Value of a vector search setting in effect for the last search on the collection"
                            + " (iterative_scan: 0 off, 1 strict_order, 2 relaxed_order)")
                    .tags(obs.commonTags())
                    .tags(Tags.of("collection", search.collection(), "setting", SettingChange.TRACKED.get(i)))
                    .strongReference(true)
                    .register(obs.registry());
        }
        return values;
    }

    /**
     * Gives a sampled search the settings its connection had set itself ({@code session}, null when it never
     * changed one), to be replayed on the sampler's connection: a copy by {@link SettingChange#TRACKED} index,
     * {@link #UNSET} where the session default applied (the sampler's connection, from the same DataSource, has it
     * too). A setting set to a value this library did not see makes the capture unusable: the sample could not
     * run with what the caller ran with.
     */
    static void attachTo(ParameterCapture capture, Session session) {
        if (session == null) {
            return;
        }
        long[] out = null;
        for (int i = 0; i < N; i++) {
            long v = session.value(i);
            if (v == UNKNOWN) {
                capture.unusable();
                return;
            }
            if (v != UNSET) {
                if (out == null) {
                    out = filled(UNSET);
                }
                out[i] = v;
            }
        }
        capture.connectionSettings(out);
    }

    /** One connection's own settings. Used by the connection's one thread at a time (JDBC contract). */
    static final class Session {
        private final long[] session = filled(UNSET);
        private final long[] local = filled(UNSET);
        private long[] beforeTransaction;

        void apply(SettingChange ch, long bound) {
            if ("*".equals(ch.name())) {
                java.util.Arrays.fill(session, UNSET);
                java.util.Arrays.fill(local, UNSET);
                return;
            }
            int i = index(ch.name());
            if (i < 0) {
                return;
            }
            long v;
            if (ch.reset()) {
                v = UNSET;
            } else if (ch.valueParameter() > 0) {
                v = bound <= UNKNOWN ? UNKNOWN : bound;
            } else {
                v = ch.value() < 0 ? UNKNOWN : ch.value();
            }
            if (ch.local()) {
                local[i] = v;
            } else {
                if (beforeTransaction == null) {
                    beforeTransaction = session.clone(); // a rollback undoes a SET made in the transaction
                }
                session[i] = v;
                local[i] = UNSET; // SET after SET LOCAL in one transaction: the SET's value holds
            }
        }

        long value(int i) {
            return local[i] != UNSET ? local[i] : session[i];
        }

        /** The transaction ended: SET LOCAL values end; a rollback also undoes the SETs it made. */
        void transactionEnded(boolean committed) {
            java.util.Arrays.fill(local, UNSET);
            if (!committed && beforeTransaction != null) {
                System.arraycopy(beforeTransaction, 0, session, 0, session.length);
            }
            beforeTransaction = null;
        }
    }
}
