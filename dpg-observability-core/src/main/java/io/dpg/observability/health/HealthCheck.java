package io.dpg.observability.health;

/**
 * One health check. Implementations do their work and return {@link HealthCheckResponse#up()} or a
 * {@code DOWN} response with data; they need not guard against hangs or exceptions: the
 * {@link HealthRegistry} runs them on its own threads under a hard timeout and turns any exception into
 * {@code DOWN} with the exception's class name (never its message or stack trace).
 *
 * <p>Data values must never carry secrets: do not put driver exception messages or raw JDBC URLs into
 * the data (see {@link JdbcUrls#sanitize(String)}).
 */
@FunctionalInterface
public interface HealthCheck {

    HealthCheckResponse check() throws Exception;
}
