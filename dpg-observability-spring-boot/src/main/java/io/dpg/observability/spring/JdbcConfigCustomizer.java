package io.dpg.observability.spring;

import io.dpg.observability.jdbc.JdbcObservabilityConfig;

/** Adjusts the JDBC settings of every wrapped DataSource bean (the tracing integration is one). */
@FunctionalInterface
public interface JdbcConfigCustomizer {

    void customize(JdbcObservabilityConfig.Builder builder, String beanName);
}
