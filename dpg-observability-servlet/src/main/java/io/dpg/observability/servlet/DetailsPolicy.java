package io.dpg.observability.servlet;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Objects;

/**
 * Decides per request whether health responses include each check's {@code data}. Whatever the policy, data
 * never holds passwords, JDBC credentials or stack traces: the health model keeps them out.
 */
@FunctionalInterface
public interface DetailsPolicy {

    /** Data always shown (the default). */
    DetailsPolicy ALWAYS = request -> true;

    /** Data never shown: only names and statuses. */
    DetailsPolicy NEVER = request -> false;

    boolean showDetails(HttpServletRequest request);

    /** Data shown when the authenticated user has any of {@code roles}. */
    static DetailsPolicy whenUserInRole(String... roles) {
        String[] copy = roles.clone();
        for (String r : copy) {
            Objects.requireNonNull(r, "role");
        }
        return request -> {
            for (String r : copy) {
                if (request.isUserInRole(r)) {
                    return true;
                }
            }
            return false;
        };
    }
}
