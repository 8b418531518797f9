package com.numberaudit.partition;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.numberaudit.AuditProperties;

/**
 * What the manager and its workers share (docs/scale-out-design.md §8): the durable queue, declared by both through
 * Boot's {@code RabbitAdmin} (messages go through the default exchange, routing key = queue name, persistent), and
 * the partitions' claims. Only for {@code audit.partitions > 1} or {@code audit.role=worker}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RemotePartitioning.Transport.class)
public class PartitionTransportConfiguration {

    @Bean
    Queue partitionQueue(AuditProperties properties) {
        return QueueBuilder.durable(properties.partitionQueue()).build();
    }

    @Bean
    PartitionClaims partitionClaims(JdbcClient jdbc, AuditProperties properties) {
        return new PartitionClaims(jdbc, properties.workerLease());
    }
}
