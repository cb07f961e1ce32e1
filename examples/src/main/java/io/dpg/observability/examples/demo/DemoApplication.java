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
package io.dpg.observability.examples.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.health.HealthChecks;
import io.dpg.observability.health.HealthRegistry;
import io.dpg.observability.health.checks.StartupHealthCheck;
import io.dpg.observability.servlet.DetailsPolicy;
import io.dpg.observability.servlet.DpgServlets;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The runnable demo: an embedded PostgreSQL 17 with the RuVector stand-in (or {@code DPG_JDBC_URL}), a HikariCP
 * pool wrapped by the library, an annotated repository, a steady background workload, and Jetty serving
 * {@code /search}, {@code /health*} and {@code /metrics} on {@code DPG_DEMO_PORT} (default 8080).
 * Ctrl-C stops everything, the embedded database included.
 */
public final class DemoApplication implements AutoCloseable {

    static final int SEED_ROWS = 20_000;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Server server;
    private int port;
    private Workload workload;
    private volatile String jdbcUrl;

    /** Starts the demo; {@code port} 0 picks a free port. {@code workload} false serves requests only. */
    public static DemoApplication start(int port, boolean workload) throws Exception {
        return start(port, workload, b -> { });
    }

    /**
     * As {@link #start(int, boolean)}, with {@code tuning} applied to the demo's {@link ObservabilityConfig}
     * after its own settings (tests use it to widen the percentile window, for example).
     */
    public static DemoApplication start(int port, boolean workload, Consumer<ObservabilityConfig.Builder> tuning)
            throws Exception {
        DemoApplication app = new DemoApplication();
        try {
            app.run(port, workload, tuning);
            return app;
        } catch (Exception | Error e) {
            app.close();
            throw e;
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("DPG_DEMO_PORT", "8080"));
        DemoApplication app = start(port, true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Log.info("stopping ...");
            app.close();
            Log.info("stopped");
        }, "dpg-demo-shutdown"));
        app.stopped.await();
    }

    private void run(int requestedPort, boolean withWorkload, Consumer<ObservabilityConfig.Builder> tuning)
            throws Exception {
        DemoDatabase db = DemoDatabase.start();
        resources.add(db);
        jdbcUrl = db.url;

        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(prometheus);
        resources.add(gc);
        ObservabilityConfig.Builder config = ObservabilityConfig.builder().application("dpg-demo").instance(hostName());
        tuning.accept(config);
        DpgObservability obs = DpgObservability.create(prometheus, config.build());

        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(db.url);
        hc.setUsername(db.user);
        if (db.password != null) {
            hc.setPassword(db.password);
        }
        hc.setMaximumPoolSize(8);
        hc.setPoolName("dpg-demo");
        HikariDataSource pool = new HikariDataSource(hc);
        resources.add(pool);
        DataSource dataSource = Instrumentation.wrap(pool, obs, resources);

        String vectorType = "vector".equals(db.extension) ? "vector(" + JdbcDocumentRepository.DIMENSIONS + ")"
                : "ruvector";
        long rows = seed(dataSource, db.extension, vectorType);
        DocumentRepository repository = obs.instrument(DocumentRepository.class,
                new JdbcDocumentRepository(dataSource, "vector".equals(db.extension) ? "vector" : "real[]"));

        HealthRegistry health = HealthRegistry.create(obs);
        resources.add(health);
        StartupHealthCheck startup = HealthChecks.registerDefaults(health, dataSource);

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(requestedPort);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new SearchServlet(repository)), "/search");
        context.addServlet(new ServletHolder(new IndexServlet()), "/");
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                // the demo opts in to details for everyone: a real service gives them to operators only
                // (DetailsPolicy.whenUserInRole("ops")) or keeps the default, names and statuses only
                DpgServlets.register(event.getServletContext(), health, prometheus,
                        DpgServlets.options().details(DetailsPolicy.ALWAYS));
            }
        });
        server.setHandler(context);
        server.setStopAtShutdown(false);
        server.start();
        port = connector.getLocalPort();

        if (withWorkload) {
            workload = new Workload(repository, dataSource, obs.instrument(BatchJob.class, BatchJob.on(dataSource)),
                    "vector".equals(db.extension) ? "hnsw.ef_search" : "ruvector.ef_search", rows);
            workload.start();
        }
        startup.markStarted();
        String base = "http://localhost:" + port;
        Log.info("dpg-observability demo is up with " + rows + " documents; it serves:");
        for (String path : new String[]{"/search?q=hello&k=5&metric=cosine", "/metrics", "/health", "/health/live",
                "/health/ready", "/health/started"}) {
            Log.info("  " + base + path);
        }
        Log.info("press Ctrl-C to stop");
    }

    /** Creates the documents table, fills it with {@value #SEED_ROWS} vectors and builds an HNSW index. */
    private static long seed(DataSource ds, String extension, String vectorType) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS documents (id bigserial PRIMARY KEY, title text NOT NULL, "
                    + "embedding " + vectorType + " NOT NULL)");
            long count;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM documents")) {
                rs.next();
                count = rs.getLong(1);
            }
            if (count == 0) {
                Log.info("seeding " + SEED_ROWS + " documents of " + JdbcDocumentRepository.DIMENSIONS
                        + " dimensions ...");
                String cast = "vector".equals(extension) ? "::" + vectorType : "::real[]";
                s.execute("INSERT INTO documents (title, embedding) SELECT 'document ' || g, "
                        + "ARRAY(SELECT (random() * 2 - 1)::real FROM generate_series(1, "
                        + JdbcDocumentRepository.DIMENSIONS + ") WHERE g > 0)" + cast
                        + " FROM generate_series(1, " + SEED_ROWS + ") AS g");
                count = SEED_ROWS;
                // let the statistics see the inserted rows before ANALYZE, or n_live_tup counts them twice
                try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int >= 150000")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        s.execute("SELECT pg_stat_force_next_flush()");
                    }
                }
            }
            String opclass = "vector".equals(extension) ? "vector_l2_ops" : "ruvector_l2_ops";
            Log.info("building the HNSW index ...");
            s.execute("CREATE INDEX IF NOT EXISTS documents_embedding_hnsw ON documents USING hnsw (embedding "
                    + opclass + ")");
            s.execute("ANALYZE documents");
            return count;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of the demo's database (tests check that {@link #close()} stops the embedded server). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    @Override
    public void close() {
        if (workload != null) {
            workload.close();
        }
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                Log.info("Jetty did not stop cleanly: " + e.getClass().getSimpleName());
            }
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                Log.info("could not close " + resources.get(i).getClass().getSimpleName() + ": "
                        + e.getClass().getSimpleName());
            }
        }
        resources.clear();
        stopped.countDown();
    }

    /** {@code GET /}: the list of what the demo serves. */
    static final class IndexServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (!"/".equals(req.getRequestURI())) {
                resp.sendError(404);
                return;
            }
            resp.setContentType("text/plain;charset=utf-8");
            resp.getWriter().write("""
                    dpg-observability demo

                    /search?q=hello&k=5&metric=l2|cosine|ip
                    /metrics
                    /health
                    /health/live
                    /health/ready
                    /health/started
                    """);
        }
    }
}
