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
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import javax.sql.DataSource;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The {@code pool} tag of one wrapped DataSource, so several DataSources on one registry never share (and never
 * drop) each other's connection meters.
 *
 * <p>Design notes: everything here runs once, at wrap time, never on a connection or statement path. The name is,
 * in order: {@link JdbcObservabilityConfig#poolName()} when given; the pool's own name (a public
 * {@code getPoolName()} such as HikariCP's and Tomcat JDBC's, read once by reflection because the pool's classes
 * are not ours to depend on); {@link JdbcObservabilityConfig#fallbackPoolName()} (the starter gives the bean name);
 * the database URL's host and database ({@code db1.internal/orders}: user info, port and parameters are dropped,
 * so no credential can reach the tag); {@code default}. The name is then claimed by registering the
 * {@code dpg.connections.in_use} gauge under it: when another live DataSource of the same registry holds it, the
 * next free {@code name-2}, {@code name-3} ... is taken and a warning says so. Closing the DataSource removes the
 * gauge and frees the name.
 */
final class PoolNames {

    static final String IN_USE = "dpg.connections.in_use";
    private static final String DEFAULT = "default";
    private static final int MAX_LENGTH = 64;
    private static final Object CLAIM_LOCK = new Object();
    private static final System.Logger LOG = System.getLogger(ObservedDataSource.class.getName());

    private PoolNames() {
    }

    /** The name {@code dataSource} asks for, before uniqueness. Never throws, never null. */
    static String wanted(DataSource dataSource, JdbcObservabilityConfig config) {
        if (config.poolName() != null) {
            return config.poolName();
        }
        String own = bounded(stringProperty(dataSource, "getPoolName"));
        if (own != null) {
            return own;
        }
        if (config.fallbackPoolName() != null) {
            return config.fallbackPoolName();
        }
        String url = null;
        for (String getter : new String[] {"getJdbcUrl", "getUrl", "getURL"}) {
            url = stringProperty(dataSource, getter);
            if (url != null) {
                break;
            }
        }
        String fromUrl = bounded(hostAndDatabase(url));
        return fromUrl != null ? fromUrl : DEFAULT;
    }

    /**
     * Registers the in-use gauge of {@code inUse} under {@code wanted}, or under the first free
     * {@code wanted-N} when a gauge of that pool is already registered; returns the registered gauge (its
     * {@code pool} tag is the name taken).
     */
    static <T> Gauge claimInUseGauge(DpgObservability obs, String wanted, T state, ToDoubleFunction<T> inUse) {
        MeterRegistry registry = obs.registry();
        synchronized (CLAIM_LOCK) {
            String name = wanted;
            for (int n = 2; registry.find(IN_USE).tags(obs.commonTags()).tag("pool", name).gauge() != null; n++) {
                name = wanted + "-" + n;
            }
            if (!name.equals(wanted)) {
                LOG.log(System.Logger.Level.WARNING, "dpg-observability: another DataSource on this registry "
                        + "already uses pool name '" + wanted + "'; this one records its connection meters as pool '"
                        + name + "' (set JdbcObservabilityConfig.poolName to choose)");
            }
            return Gauge.builder(IN_USE, state, inUse)
                    .description("Connections acquired through the observed DataSource and not yet closed")
                    .tags(obs.commonTags()).tag("pool", name)
                    .strongReference(true)
                    .register(registry);
        }
    }

    /**
     * {@code host/database} of a {@code jdbc:postgresql://} style URL (every host of a multi-host URL, without
     * ports), or null when the URL has no such form. User info, port and parameters never appear.
     */
    static String hostAndDatabase(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("//");
        if (scheme < 0) {
            return null;
        }
        int start = scheme + 2;
        int end = url.length();
        for (int i = start; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '?' || c == ';' || c == '#') {
                end = i;
                break;
            }
        }
        String rest = url.substring(start, end);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : rest.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        StringBuilder hosts = new StringBuilder();
        for (String hostPort : authority.split(",", -1)) {
            if (hostPort.isEmpty()) {
                continue; // "h1,,h2" or a trailing comma: no host there
            }
            String host = hostPort;
            if (host.startsWith("[")) {
                int close = host.indexOf(']');
                host = close < 0 ? host : host.substring(0, close + 1);
            } else {
                int colon = host.indexOf(':');
                host = colon < 0 ? host : host.substring(0, colon);
            }
            if (!host.isEmpty()) {
                hosts.append(hosts.length() == 0 ? "" : ",").append(host.toLowerCase(Locale.ROOT));
            }
        }
        if (hosts.length() == 0 && database.isEmpty()) {
            return null;
        }
        return database.isEmpty() ? hosts.toString() : hosts + "/" + database;
    }

    /** A public no-argument String getter of a public class, or null (absent, failing or blank). */
    private static String stringProperty(Object target, String getter) {
        try {
            Class<?> type = target.getClass();
            if (!Modifier.isPublic(type.getModifiers())) {
                return null;
            }
            Method m = type.getMethod(getter);
            if (m.getReturnType() != String.class || m.getParameterCount() != 0) {
                return null;
            }
            Object value = m.invoke(target);
            return value instanceof String string && !string.isBlank() ? string.trim() : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // not a property of this DataSource, or it refused: fall through to the next source
        }
    }

    private static String bounded(String name) {
        if (name == null) {
            return null;
        }
        return name.length() <= MAX_LENGTH ? name : name.substring(0, MAX_LENGTH);
    }
}
