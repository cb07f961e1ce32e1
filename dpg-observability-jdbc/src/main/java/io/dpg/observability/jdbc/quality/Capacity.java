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
package io.dpg.observability.jdbc.quality;

import javax.sql.DataSource;
import java.lang.reflect.Method;
import java.util.function.LongSupplier;

/**
 * Whether the sampler may borrow one connection now without taking one the application needs.
 *
 * <p>HikariCP: only while its pool MXBean reports an idle connection and no thread waiting (read through
 * {@code HikariDataSource.getHikariPoolMXBean()}, looked up once by reflection: this module does not depend on
 * HikariCP, and the check runs on the sampler's thread only). Any other pool: only when the user told the
 * pool's size ({@link SearchQualityConfig#maxConnections()}) and fewer connections than that are in use through
 * the wrapper. Otherwise never. A DataSource of the library's own ({@link SearchQualityConfig#dataSource()})
 * is always available (the sampler uses one connection of it at a time).
 */
abstract class Capacity {

    abstract boolean spare();

    static Capacity own() {
        return new Capacity() {
            @Override
            boolean spare() {
                return true;
            }
        };
    }

    static Capacity of(DataSource ds, int maxConnections, LongSupplier inUse) {
        Method mxBean = hikariMxBean(ds);
        if (mxBean != null) {
            return new Hikari(ds, mxBean);
        }
        if (maxConnections > 0) {
            return new Capacity() {
                @Override
                boolean spare() {
                    return inUse.getAsLong() < maxConnections;
                }
            };
        }
        return new Capacity() {
            @Override
            boolean spare() {
                return false;
            }
        };
    }

    private static Method hikariMxBean(DataSource ds) {
        try {
            if (ds != null && ds.getClass().getName().equals("com.zaxxer.hikari.HikariDataSource")) {
                return ds.getClass().getMethod("getHikariPoolMXBean");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not a HikariCP we can read
        }
        return null;
    }

    private static final class Hikari extends Capacity {
        private final DataSource ds;
        private final Method mxBean;
        private Method idle;
        private Method waiting;

        Hikari(DataSource ds, Method mxBean) {
            this.ds = ds;
            this.mxBean = mxBean;
        }

        @Override
        boolean spare() {
            try {
                Object bean = mxBean.invoke(ds);
                if (bean == null) {
                    return false; // pool not started
                }
                if (idle == null) {
                    Class<?> type = Class.forName("com.zaxxer.hikari.HikariPoolMXBean", false,
                            bean.getClass().getClassLoader());
                    idle = type.getMethod("getIdleConnections");
                    waiting = type.getMethod("getThreadsAwaitingConnection");
                }
                return ((Number) idle.invoke(bean)).intValue() > 0 && ((Number) waiting.invoke(bean)).intValue() == 0;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return false;
            }
        }
    }
}
