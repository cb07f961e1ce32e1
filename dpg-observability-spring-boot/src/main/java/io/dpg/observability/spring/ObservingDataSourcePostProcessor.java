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
package io.dpg.observability.spring;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

import javax.sql.DataSource;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Wraps every {@link DataSource} bean in an {@link ObservedDataSource} once it is initialised, except the beans
 * named in {@code dpg.observability.jdbc.excluded-beans}. The {@code pool} tag is the pool's own name when it
 * has one (HikariCP's {@code spring.datasource.hikari.pool-name}), else the bean name. The facade and the JDBC
 * settings are looked up lazily, on the first DataSource, so this post-processor pulls no bean in early.
 */
final class ObservingDataSourcePostProcessor implements BeanPostProcessor, Ordered {

    private final ObjectProvider<DpgObservability> observability;
    private final Supplier<JdbcObservabilityConfig> config;
    private final Set<String> excluded;
    private final ObjectProvider<JdbcConfigCustomizer> customizers;

    ObservingDataSourcePostProcessor(ObjectProvider<DpgObservability> observability,
                                     Supplier<JdbcObservabilityConfig> config, Set<String> excluded,
                                     ObjectProvider<JdbcConfigCustomizer> customizers) {
        this.observability = observability;
        this.config = config;
        this.excluded = excluded;
        this.customizers = customizers;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource ds) || bean instanceof ObservedDataSource || excluded.contains(beanName)) {
            return bean;
        }
        DpgObservability obs = observability.getIfAvailable();
        if (obs == null) {
            return bean;
        }
        JdbcObservabilityConfig.Builder b = config.get().toBuilder().fallbackPoolName(beanName);
        customizers.orderedStream().forEach(c -> c.customize(b, beanName));
        return ObservedDataSource.wrap(ds, obs, b.build());
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the pool's own post-processing
    }
}
