package io.dpg.observability.servlet;

import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import io.dpg.observability.health.HealthReport;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Serves one MicroProfile Health 4.0 endpoint: the checks of some {@link HealthGroup}s as
 * {@code {"status":"UP","checks":[{"name":..,"status":..,"data":{..}}]}} with 200 when {@code UP}, 503 when
 * {@code DOWN}, and 500 with a JSON body of the same shape when the endpoint itself fails. GET and HEAD;
 * {@code application/json}; {@code Cache-Control: no-store}. It answers within the largest timeout of its
 * checks, whatever the checks do (see {@link HealthRegistry}).
 *
 * <p>Usable on its own ({@code context.addServlet("ready", HealthServlet.readiness(health, DetailsPolicy.ALWAYS))})
 * or registered with the other endpoints by {@link DpgServlets#register}.
 */
public final class HealthServlet extends HttpServlet {

    static final String CONTENT_TYPE = "application/json";
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
        int status;
        byte[] body;
        try {
            HealthReport report = registry.evaluate(groups);
            body = report.toJson(details.showDetails(req)).getBytes(StandardCharsets.UTF_8);
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
