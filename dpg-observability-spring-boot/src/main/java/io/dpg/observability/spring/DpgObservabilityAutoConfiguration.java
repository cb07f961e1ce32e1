package io.dpg.observability.spring;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.collector.CollectorConfig;
import io.dpg.observability.jdbc.collector.PostgresCollector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.util.Set;
import java.util.function.Function;

/**
 * The whole library from {@code dpg.observability.*} properties: the {@link DpgObservability} facade on the
 * application's {@link MeterRegistry}, every {@link DataSource} bean observed, the PostgreSQL collector on a
 * connection of its own, our health checks in Actuator's liveness and readiness groups, and the
 * {@code dpgqueries} endpoint. Every bean backs off when the application defines its own.
 *
 * <p>Settings are read by name through Spring's {@link Binder} and parsed by the library itself
 * ({@code ObservabilityConfig.from}), so a property means exactly what docs/CONFIGURATION.md says it means
 * without Spring.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, DpgObservability.class})
@ConditionalOnProperty(prefix = "dpg.observability", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(DpgObservabilityProperties.class)
public class DpgObservabilityAutoConfiguration {

    /** Library settings looked up by their documented names in every property source of the application. */
    static Function<String, String> settings(Environment environment) {
        Binder binder = Binder.get(environment);
        return name -> binder.bind(name, String.class).orElse(null);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(MeterRegistry.class)
    public DpgObservability dpgObservability(MeterRegistry registry, Environment environment) {
        return DpgObservability.create(registry, ObservabilityConfig.from(settings(environment)));
    }

    @Bean
    @ConditionalOnProperty(prefix = "dpg.observability.jdbc", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static ObservingDataSourcePostProcessor dpgObservingDataSourcePostProcessor(
            ObjectProvider<DpgObservability> observability, Environment environment,
            ObjectProvider<JdbcConfigCustomizer> customizers) {
        Set<String> excluded = Set.copyOf(Binder.get(environment)
                .bind("dpg.observability.jdbc.excluded-beans", org.springframework.boot.context.properties.bind.Bindable
                        .setOf(String.class)).orElse(Set.of()));
        return new ObservingDataSourcePostProcessor(observability,
                () -> JdbcObservabilityConfig.from(settings(environment)), excluded, customizers);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DataSourceProperties.class)
    @ConditionalOnProperty(prefix = "dpg.observability.collector", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class CollectorConfiguration {

        /**
         * Polls the server's statistics views through its own connection to {@code spring.datasource.url} (never a
         * pooled one), started here and closed with the context. Absent when there is no such URL.
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        @ConditionalOnBean({MeterRegistry.class, DataSourceProperties.class}) // as the facade, declared after this
        @ConditionalOnProperty(prefix = "spring.datasource", name = "url")
        PostgresCollector dpgPostgresCollector(DpgObservability obs, DataSourceProperties properties,
                                               Environment environment) {
            PostgresCollector collector = PostgresCollector.forUrl(properties.determineUrl(),
                    properties.determineUsername(), properties.determinePassword(), obs,
                    CollectorConfig.from(settings(environment)));
            collector.bindTo(obs.registry());
            return collector;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnProperty(prefix = "dpg.observability.health", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class HealthConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        HealthRegistry dpgHealthRegistry(MeterRegistry registry, DpgObservabilityProperties properties) {
            return HealthRegistry.builder().meterRegistry(registry)
                    .defaultTimeout(properties.getHealth().getTimeout()).build();
        }

        @Bean
        static DpgHealthChecks dpgHealthChecks(ObjectProvider<HealthRegistry> health, ListableBeanFactory beans) {
            return new DpgHealthChecks(health, beans);
        }

        @Bean
        HealthIndicator dpgLivenessHealthIndicator(HealthRegistry health) {
            return new DpgHealthIndicator(health, HealthGroup.LIVENESS);
        }

        @Bean
        HealthIndicator dpgReadinessHealthIndicator(HealthRegistry health) {
            return new DpgHealthIndicator(health, HealthGroup.READINESS);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Tracer.class)
    @ConditionalOnProperty(prefix = "dpg.observability.tracing", name = "enabled", havingValue = "true")
    static class TracingConfiguration {

        /** A span per statement when the application has a Tracer (Micrometer Tracing: Brave or OpenTelemetry). */
        @Bean
        JdbcConfigCustomizer dpgTracingJdbcConfigCustomizer(ObjectProvider<Tracer> tracer) {
            return (builder, beanName) -> {
                Tracer t = tracer.getIfAvailable();
                if (t != null) {
                    builder.tracer(t);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        QueryStatisticsEndpoint dpgQueryStatisticsEndpoint(ListableBeanFactory beans) {
            return new QueryStatisticsEndpoint(beans);
        }
    }
}
