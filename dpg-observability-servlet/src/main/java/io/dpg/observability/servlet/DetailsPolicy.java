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

import jakarta.servlet.http.HttpServletRequest;

import java.util.Objects;

/**
 * Decides per request whether health responses include each check's {@code data} (database host, port and name,
 * server version, heap, threads, load: what an attacker would like to know). The default, {@link #NEVER}, shows
 * names and statuses only; give details to authorized callers with {@link #whenUserInRole} or
 * {@link #whenAuthenticated}, to everyone with {@link #ALWAYS} (an explicit opt-in), or write a policy of your
 * own. Whatever the policy, data never holds passwords, JDBC credentials or stack traces: the health model keeps
 * them out.
 */
@FunctionalInterface
public interface DetailsPolicy {

    /** Data shown to every caller: an explicit opt-in, for endpoints only trusted callers reach. */
    DetailsPolicy ALWAYS = request -> true;

    /** Data never shown: only names and statuses (the default). */
    DetailsPolicy NEVER = request -> false;

    /** The policy of endpoints registered without one: {@link #NEVER}. */
    static DetailsPolicy defaultPolicy() {
        return NEVER;
    }

    /** Data shown when the container authenticated the caller ({@code getUserPrincipal() != null}). */
    static DetailsPolicy whenAuthenticated() {
        return request -> request.getUserPrincipal() != null;
    }

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
