package com.numberaudit.partition;

import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.Ordered;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Which side of the remote partitioning (docs/scale-out-design.md §6-§8) this process is on, read from the
 * environment before any bean exists: a manager of {@code audit.partitions > 1}, a worker
 * ({@code audit.role=worker}), or neither — the single node, the default.
 * <p>
 * The single node must not need RabbitMQ nor start what it does not use, so as an environment post-processor this
 * excludes RabbitMQ's and Spring Integration's auto-configurations unless the process partitions: their jars are in
 * number-audit for the other two modes. An operator's own {@code spring.autoconfigure.exclude} replaces this list.
 */
public final class RemotePartitioning implements EnvironmentPostProcessor, Ordered {

    static final String PARTITIONS = "audit.partitions";
    static final String ROLE = "audit.role";

    /** What the single node leaves out: the connection factory, the admin, the integration infrastructure. */
    static final List<String> TRANSPORT_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
            "org.springframework.boot.amqp.autoconfigure.health.RabbitHealthContributorAutoConfiguration",
            "org.springframework.boot.amqp.autoconfigure.metrics.RabbitMetricsAutoConfiguration",
            "org.springframework.boot.integration.autoconfigure.IntegrationAutoConfiguration",
            "org.springframework.boot.integration.autoconfigure.IntegrationGraphEndpointAutoConfiguration",
            "org.springframework.boot.integration.autoconfigure.metrics.IntegrationMetricsAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!transport(environment)) {
            environment.getPropertySources().addLast(new MapPropertySource("numberAuditSingleNode",
                    Map.of("spring.autoconfigure.exclude", String.join(",", TRANSPORT_AUTO_CONFIGURATIONS))));
        }
    }

    /** After the configuration files are read: {@code audit.partitions} may come from application.yml. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Partitions this process sends or serves go over RabbitMQ. */
    public static boolean transport(Environment environment) {
        return manager(environment) || worker(environment);
    }

    /** A manager of more than one partition. An unreadable count is none here: ConfigurationCheck refuses it by name. */
    public static boolean manager(Environment environment) {
        try {
            Integer partitions = environment.getProperty(PARTITIONS, Integer.class);
            return !worker(environment) && partitions != null && partitions > 1;
        } catch (ConversionException | IllegalArgumentException e) {
            return false;
        }
    }

    /** A worker: serves partitions from the queue, runs no night of its own. */
    public static boolean worker(Environment environment) {
        return "worker".equalsIgnoreCase(environment.getProperty(ROLE, "manager").strip());
    }

    /** Beans of a manager of {@code audit.partitions > 1}. */
    public static final class Manager implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return manager(context.getEnvironment());
        }
    }

    /** Beans of a worker. */
    public static final class Worker implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return worker(context.getEnvironment());
        }
    }

    /** Beans of a process that runs a night (single node or manager): never of a worker. */
    public static final class NotWorker implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !worker(context.getEnvironment());
        }
    }

    /** Beans both sides of the transport need (the queue's declaration). */
    public static final class Transport implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return transport(context.getEnvironment());
        }
    }
}
