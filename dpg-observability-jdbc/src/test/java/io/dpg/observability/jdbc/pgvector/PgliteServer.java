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

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real pgvector for tests: PGlite (PostgreSQL 18 compiled to WASM) with the pgvector extension, served on the
 * PostgreSQL wire protocol by {@code @electric-sql/pglite-socket}'s server script, run by {@code node} as a
 * child process of the test JVM on a free loopback port.
 *
 * <p>Use it as a class-level extension ({@code @RegisterExtension static final PgliteServer PGLITE = new
 * PgliteServer();}): it starts before the class's first test, installs {@code CREATE EXTENSION vector}, and
 * stops the process after the class (destroy, then destroyForcibly; a JVM shutdown hook does the same if the
 * class never finishes). Every wait is bounded.
 *
 * <p>The npm packages live in {@code src/test/pglite} (override with the system property
 * {@code dpg.pglite.dir}); {@code npm ci} there installs them (the {@code pgvector} Maven profile does it).
 * {@code node} is looked up on the PATH (override with {@code dpg.pglite.node}).
 *
 * <p>PGlite limits that shape the tests (see ARCHITECTURE.md): all connections share one database session, so a
 * {@code SET} on one shows on all and server-side prepared statements would clash ({@code prepareThreshold=0});
 * while one connection is in a transaction the others wait; a connection beyond {@code -m} is closed at once.
 * It is for the correctness of vector paths, never for timings.
 */
public final class PgliteServer implements BeforeAllCallback, AfterAllCallback {

    /** Connections the server accepts at once ({@code -m}); the tests stay well below it. */
    static final int MAX_CONNECTIONS = 6;

    private static final String SCRIPT = "node_modules/@electric-sql/pglite-socket/dist/scripts/server.js";
    private static final String EXTENSION_MODULE = "node_modules/@electric-sql/pglite-pgvector";
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final Path packageDir;
    private final String node;
    /** PGlite contrib extensions loaded beside pgvector (e.g. {@code hstore}, {@code uuid_ossp}). */
    private final List<String> contrib;
    private Process process;
    private Thread shutdownHook;
    private Path log;
    private int port;

    public PgliteServer() {
        this(new String[0]);
    }

    /**
     * With PGlite's contrib extensions {@code contrib} loaded too (names as in {@code @electric-sql/pglite/contrib},
     * such as {@code hstore} or {@code uuid_ossp}), for clients that create them.
     */
    public PgliteServer(String... contrib) {
        this(Path.of(System.getProperty("dpg.pglite.dir", "src/test/pglite")),
                System.getProperty("dpg.pglite.node", "node"), contrib);
    }

    PgliteServer(Path packageDir, String node, String... contrib) {
        this.packageDir = packageDir.toAbsolutePath().normalize();
        this.node = node;
        this.contrib = List.of(contrib);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Starts the server and waits (at most a minute) until it answers a JDBC connection; idempotent. */
    public synchronized void start() {
        if (process != null) {
            return;
        }
        if (!Files.isRegularFile(packageDir.resolve(SCRIPT)) || !Files.isDirectory(packageDir.resolve(EXTENSION_MODULE))) {
            throw new IllegalStateException("the PGlite npm packages are not installed in " + packageDir
                    + ": run `npm ci` in " + packageDir + " (the -Ppgvector Maven profile does it)");
        }
        port = freeLoopbackPort();
        try {
            log = Files.createTempFile("pglite-" + port + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(node, SCRIPT, "--host=127.0.0.1", "--port=" + port,
                "--extensions=" + String.join(",", extensions()), "--max-connections=" + MAX_CONNECTIONS))
                .directory(packageDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not run `" + node + "` (is Node.js 20+ installed and on the PATH?"
                    + " or set -Ddpg.pglite.node): " + e.getMessage(), e);
        }
        Process started = process;
        shutdownHook = new Thread(() -> kill(started), "pglite-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            awaitConnection();
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            }
        } catch (RuntimeException | SQLException e) {
            String output = output();
            stop();
            throw new IllegalStateException("the PGlite server did not come up on port " + port + ": " + e
                    + "\n--- server output ---\n" + output, e);
        }
    }

    private List<String> extensions() {
        List<String> all = new java.util.ArrayList<>();
        all.add("@electric-sql/pglite-pgvector:vector");
        all.addAll(contrib);
        return all;
    }

    private void awaitConnection() throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with code " + process.exitValue());
            }
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the server", e);
            }
        }
        throw new IllegalStateException("no JDBC connection within " + START_TIMEOUT_SECONDS + " s", last);
    }

    /** Stops the server: destroy, then destroyForcibly; bounded; idempotent. */
    public synchronized void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        kill(p);
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file; the OS cleans it up
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down; the hook does the same work
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the child process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The child's process handle, for tests of this class; {@code null} when stopped. */
    synchronized ProcessHandle processHandle() {
        return process == null ? null : process.toHandle();
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        // prepareThreshold=0: the shared session would otherwise see "prepared statement S_n already exists"
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable&gssEncMode=disable"
                + "&prepareThreshold=0&connectTimeout=10&socketTimeout=120";
    }

    /** A plain pgjdbc DataSource (no pool) to the server, user {@code postgres}, database {@code postgres}. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl());
        ds.setUser("postgres");
        return ds;
    }

    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    /** What the server printed so far (for failure messages). */
    public String output() {
        try {
            return log == null || !Files.exists(log) ? "" : Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
