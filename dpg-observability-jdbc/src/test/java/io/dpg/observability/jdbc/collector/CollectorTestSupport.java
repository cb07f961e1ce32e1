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
package io.dpg.observability.jdbc.collector;

import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Helpers shared by the collector tests. */
final class CollectorTestSupport {

    private CollectorTestSupport() {
    }

    /** Polls only when a test calls {@code pollNow()}: the schedule's first run is an hour away. */
    static CollectorConfig manualConfig() {
        return manualConfigBuilder().build();
    }

    static CollectorConfig.Builder manualConfigBuilder() {
        return CollectorConfig.builder().pollInterval(Duration.ofHours(1)).initialDelay(Duration.ofHours(1));
    }

    /** A plain DataSource to {@code database} on the test server. */
    static DataSource dataSource(String database) {
        return dataSource(database, TestDatabase.get().user());
    }

    static DataSource dataSource(String database, String user) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(TestDatabase.get().jdbcUrl());
        ds.setDatabaseName(database);
        if (user != null) {
            ds.setUser(user);
        }
        String password = System.getenv("DPG_TEST_JDBC_PASSWORD");
        if (password != null && TestDatabase.get().embedded() == null) {
            ds.setPassword(password);
        }
        return ds;
    }

    /** Creates {@code database} on the test server unless it exists. */
    static void ensureDatabase(String database) throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + database);
        }
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The value of the gauge or function counter {@code name{tags}}; fails if absent. */
    static double value(MeterRegistry registry, String name, String... tags) {
        Search search = registry.find(name).tags(tags);
        Gauge g = search.gauge();
        if (g != null) {
            return g.value();
        }
        FunctionCounter fc = search.functionCounter();
        if (fc != null) {
            return fc.count();
        }
        io.micrometer.core.instrument.Counter c = search.counter();
        if (c != null) {
            return c.count();
        }
        throw new AssertionError("no meter " + name + " with tags " + String.join(",", tags) + "; have "
                + registry.getMeters().stream().map(m -> m.getId().toString()).toList());
    }

    static boolean present(MeterRegistry registry, String name, String... tags) {
        return registry.find(name).tags(tags).meter() != null;
    }

    static List<String> meterNames(MeterRegistry registry) {
        return registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).distinct().sorted().toList();
    }

    /** Captures what the collector logs through System.Logger (backed by java.util.logging in the tests). */
    static final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger(PostgresCollector.class.getName());
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        LogCapture() {
            setLevel(Level.ALL);
            logger.addHandler(this);
        }

        List<String> messages(Level level) {
            return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
