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

import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import io.dpg.observability.health.HealthReport;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves one MicroProfile Health 4.0 endpoint: the checks of some {@link HealthGroup}s as
 * {@code {"status":"UP","checks":[{"name":..,"status":..,"data":{..}}]}} with 200 when {@code UP}, 503 when
 * {@code DOWN}, and 500 with a JSON body of the same shape when the endpoint itself fails. GET and HEAD;
 * {@code application/json}; {@code Cache-Control: no-store}. It answers within the largest timeout of its
 * checks, whatever the checks do (see {@link HealthRegistry}). Registered with async support (as
 * {@link DpgServlets#register} does), it gives the request thread back to the container while the checks run,
 * so probes against a hung database never hold the container's threads; without it, it waits on the thread.
 *
 * <p>Usable on its own ({@code context.addServlet("ready", HealthServlet.readiness(health))}, names and statuses
 * only; {@code HealthServlet.readiness(health, DetailsPolicy.whenUserInRole("ops"))} for details to operators)
 * or registered with the other endpoints by {@link DpgServlets#register}.
 */
public final class HealthServlet extends HttpServlet {

    static final String CONTENT_TYPE = "application/json";
    /** Answers 500 if the registry's future has not completed by then (it completes within the check timeouts). */
    static final long SAFETY_TIMEOUT_MS = 60_000;
    private static final byte[] FAILURE_BODY = ("{\"status\":\"DOWN\",\"checks\":[{\"name\":\"health-endpoint\","
            + "\"status\":\"DOWN\"}]}").getBytes(StandardCharsets.UTF_8);

    private final transient HealthRegistry registry;
    private final transient Set<HealthGroup> groups;
    private final transient DetailsPolicy details;

    public HealthServlet(HealthRegistry registry, Set<HealthGroup> groups, DetailsPolicy details) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.groups = EnumSet.copyOf(Objects.requireNonNull(groups, "groups"));
        this.details = Objects.requireNonNull(details, "details");
    }

    /** All groups ({@code /health}), names and statuses only. */
    public static HealthServlet all(HealthRegistry registry) {
        return all(registry, DetailsPolicy.defaultPolicy());
    }

    /** The liveness group, names and statuses only. */
    public static HealthServlet liveness(HealthRegistry registry) {
        return liveness(registry, DetailsPolicy.defaultPolicy());
    }

    /** The readiness group, names and statuses only. */
    public static HealthServlet readiness(HealthRegistry registry) {
        return readiness(registry, DetailsPolicy.defaultPolicy());
    }

    /** The startup group, names and statuses only. */
    public static HealthServlet startup(HealthRegistry registry) {
        return startup(registry, DetailsPolicy.defaultPolicy());
    }

    /** All groups: {@code /health}. */
    public static HealthServlet all(HealthRegistry registry, DetailsPolicy details) {
        return new HealthServlet(registry, EnumSet.allOf(HealthGroup.class), details);
    }

    public static HealthServlet liveness(HealthRegistry registry, DetailsPolicy details) {
        return new HealthServlet(registry, EnumSet.of(HealthGroup.LIVENESS), details);
    }

    public static HealthServlet readiness(HealthRegistry registry, DetailsPolicy details) {
        return new HealthServlet(registry, EnumSet.of(HealthGroup.READINESS), details);
    }

    public static HealthServlet startup(HealthRegistry registry, DetailsPolicy details) {
        return new HealthServlet(registry, EnumSet.of(HealthGroup.STARTUP), details);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        respond(req, resp, true);
    }

    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        respond(req, resp, false);
    }

    private void respond(HttpServletRequest req, HttpServletResponse resp, boolean withBody) throws IOException {
        boolean showDetails;
        try {
            showDetails = details.showDetails(req);
        } catch (RuntimeException | LinkageError e) {
            write(resp, null, withBody, false); // the policy itself failed: 500, in the same JSON shape
            return;
        }
        if (req.isAsyncSupported()) {
            respondAsync(req, resp, withBody, showDetails);
            return;
        }
        HealthReport report;
        try {
            report = registry.evaluate(groups);
        } catch (RuntimeException | LinkageError e) {
            report = null;
        }
        write(resp, report, withBody, showDetails);
    }

    /**
     * The request thread goes back to the container while the checks run; the answer is written when the
     * registry's future completes, which is within the largest check timeout. A safety timeout answers 500 if
     * that ever failed to happen.
     */
    private void respondAsync(HttpServletRequest req, HttpServletResponse resp, boolean withBody, boolean showDetails) {
        AsyncContext async = req.startAsync();
        AtomicBoolean answered = new AtomicBoolean();
        async.setTimeout(SAFETY_TIMEOUT_MS);
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                answer(async, answered, resp, null, withBody, showDetails);
            }

            @Override
            public void onComplete(AsyncEvent event) {
                answered.set(true);
            }

            @Override
            public void onError(AsyncEvent event) {
                answered.set(true);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not restarted
            }
        });
        CompletableFuture<HealthReport> report;
        try {
            report = registry.evaluateAsync(groups);
        } catch (RuntimeException | LinkageError e) {
            report = CompletableFuture.failedFuture(e);
        }
        var unused = report.whenComplete((r, failure) -> answer(async, answered, resp, failure == null ? r : null, withBody,
                showDetails));
    }

    private static void answer(AsyncContext async, AtomicBoolean answered, HttpServletResponse resp,
                               HealthReport report, boolean withBody, boolean showDetails) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            write(resp, report, withBody, showDetails);
        } catch (IOException | RuntimeException ignored) {
            // the client went away; nothing to tell it
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException ignored) {
                // the container already completed the request
            }
        }
    }

    /** Writes {@code report}, or the 500 body when it is null (the endpoint itself failed). */
    private static void write(HttpServletResponse resp, HealthReport report, boolean withBody, boolean showDetails)
            throws IOException {
        int status;
        byte[] body;
        try {
            if (report == null) {
                throw new IllegalStateException("no report");
            }
            body = report.toJson(showDetails).getBytes(StandardCharsets.UTF_8);
            status = report.isUp() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        } catch (RuntimeException | LinkageError e) {
            // the endpoint itself failed: say so in the same JSON shape, without message or stack trace
            body = FAILURE_BODY;
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        }
        resp.setStatus(status);
        resp.setContentType(CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        if (withBody) {
            resp.getOutputStream().write(body);
        }
    }
}
