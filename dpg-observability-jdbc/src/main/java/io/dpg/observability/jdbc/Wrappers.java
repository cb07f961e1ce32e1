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

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * The one {@code unwrap} / {@code isWrapperFor} of the JDBC wrappers (the generated {@code Delegating*} bases call
 * it). The wrapped object answers first ({@code unwrap(Connection.class)} is the driver's connection, not the
 * wrapper), then the wrapper (its own class), then whatever the wrapped object wraps (the driver's connection
 * behind a pool's proxy, for {@code unwrap(PGConnection.class)}).
 */
final class Wrappers {

    private Wrappers() {
    }

    static <T> T unwrap(Wrapper wrapper, Wrapper delegate, Class<T> iface) throws SQLException {
        if (iface.isInstance(delegate)) {
            return iface.cast(delegate);
        }
        if (iface.isInstance(wrapper)) {
            return iface.cast(wrapper);
        }
        return delegate.unwrap(iface);
    }

    static boolean isWrapperFor(Wrapper wrapper, Wrapper delegate, Class<?> iface) throws SQLException {
        return iface.isInstance(wrapper) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
    }
}
