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

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only: the unwrapped PGlite DataSource, recording the SQL text a client library hands to
 * {@code prepareStatement} / {@code prepareCall} / {@code Statement.execute*} (so tests can classify exactly what
 * the library sends). A JDK proxy is fine here: it is the reference side of a comparison, never measured.
 */
final class SqlCapture {

    final List<String> sql = new CopyOnWriteArrayList<>();
    private final DataSource target;

    SqlCapture(DataSource target) {
        this.target = target;
    }

    DataSource dataSource() {
        return proxy(DataSource.class, target);
    }

    /** The captured SQL texts that contain {@code fragment}. */
    List<String> containing(String fragment) {
        return sql.stream().filter(s -> s.contains(fragment)).toList();
    }

    private <T> T proxy(Class<T> type, T delegate) {
        InvocationHandler h = (p, m, args) -> {
            if (args != null && args.length > 0 && args[0] instanceof String text
                    && (m.getName().startsWith("prepare") || m.getName().startsWith("execute")
                        || m.getName().equals("addBatch"))) {
                sql.add(text);
            }
            Object r;
            try {
                r = m.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (m.getName().equals("unwrap") || m.getName().equals("isWrapperFor")) {
                return r;
            }
            if (r instanceof Connection c && m.getReturnType() == Connection.class) {
                return proxy(Connection.class, c);
            }
            if (r instanceof Statement s && m.getReturnType().isInterface()
                    && Statement.class.isAssignableFrom(m.getReturnType())) {
                @SuppressWarnings("unchecked")
                Class<Statement> st = (Class<Statement>) m.getReturnType();
                return proxy(st, s);
            }
            return r;
        };
        return type.cast(Proxy.newProxyInstance(SqlCapture.class.getClassLoader(), new Class<?>[] {type}, h));
    }
}
