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
package io.dpg.observability.servlet;

import io.dpg.observability.health.HealthRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

import java.util.Objects;

/**
 * Registers the health and metrics endpoints on a {@link ServletContext} in one call, with no classpath
 * scanning. Health responses carry names and statuses only unless {@link Options#details} says otherwise. Call it while the context initialises (from a {@code ServletContainerInitializer} or a
 * {@code ServletContextListener}):
 *
 * <pre>{@code
 * DpgServlets.register(servletContext, health, prometheusRegistry);
 * DpgServlets.register(servletContext, health, prometheusRegistry,
 *         DpgServlets.options().basePath("/internal/health").details(DetailsPolicy.whenUserInRole("ops")));
 * }</pre>
 */
public final class DpgServlets {

    private DpgServlets() {
    }

    public static Options options() {
        return new Options();
    }

    /** Default paths ({@code /health}, {@code /health/live}, {@code /health/ready}, {@code /health/started}, {@code /metrics}). */
    public static void register(ServletContext context, HealthRegistry health, PrometheusMeterRegistry prometheus) {
        register(context, health, prometheus, options());
    }

    /**
     * Registers the four health servlets and, when {@code prometheus} is not {@code null}, the metrics servlet.
     * A path set to {@code null} leaves that endpoint out.
     *
     * @throws IllegalStateException when a servlet of the same name is already registered
     */
    public static void register(ServletContext context, HealthRegistry health, PrometheusMeterRegistry prometheus,
                                Options options) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(options, "options");
        add(context, "dpg-health", options.healthPath, HealthServlet.all(health, options.details));
        add(context, "dpg-health-live", options.livePath, HealthServlet.liveness(health, options.details));
        add(context, "dpg-health-ready", options.readyPath, HealthServlet.readiness(health, options.details));
        add(context, "dpg-health-started", options.startedPath, HealthServlet.startup(health, options.details));
        if (prometheus != null) {
            add(context, "dpg-metrics", options.metricsPath, new MetricsServlet(prometheus));
        }
    }

    private static void add(ServletContext context, String name, String path, Servlet servlet) {
        if (path == null) {
            return;
        }
        ServletRegistration.Dynamic r = context.addServlet(name, servlet);
        if (r == null) {
            throw new IllegalStateException("a servlet named '" + name + "' is already registered");
        }
        r.addMapping(path);
        r.setAsyncSupported(true);
    }

    /** Paths and the details policy; mutable, used once. */
    public static final class Options {
        private String healthPath = "/health";
        private String livePath = "/health/live";
        private String readyPath = "/health/ready";
        private String startedPath = "/health/started";
        private String metricsPath = "/metrics";
        private DetailsPolicy details = DetailsPolicy.defaultPolicy();

        private Options() {
        }

        /** Sets the four health paths under {@code base}: {@code base}, {@code base/live}, {@code base/ready}, {@code base/started}. */
        public Options basePath(String base) {
            Objects.requireNonNull(base, "base");
            String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            healthPath = b;
            livePath = b + "/live";
            readyPath = b + "/ready";
            startedPath = b + "/started";
            return this;
        }

        public Options healthPath(String path) {
            this.healthPath = path;
            return this;
        }

        public Options livePath(String path) {
            this.livePath = path;
            return this;
        }

        public Options readyPath(String path) {
            this.readyPath = path;
            return this;
        }

        public Options startedPath(String path) {
            this.startedPath = path;
            return this;
        }

        public Options metricsPath(String path) {
            this.metricsPath = path;
            return this;
        }

        /** Who sees each check's {@code data}; by default nobody ({@link DetailsPolicy#NEVER}). */
        public Options details(DetailsPolicy details) {
            this.details = Objects.requireNonNull(details, "details");
            return this;
        }
    }
}
