package com.numberaudit.partition;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import com.numberaudit.AuditProperties;
import com.numberaudit.audit.AuditPartitionStep;
import com.numberaudit.repository.RunLease;

/**
 * A manager of {@code audit.partitions > 1}: the {@code PartitionHandler} of the partitioned {@code audit} step sends
 * the partitions to the workers over RabbitMQ and watches them in the job repository.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RemotePartitioning.Manager.class)
public class PartitionManagerConfiguration {

    @Bean
    AuditPartitionHandler auditPartitionHandler(JobRepository jobRepository, RabbitTemplate rabbitTemplate, PartitionClaims claims,
                                                RunLease runLease, AuditProperties properties) {
        return new AuditPartitionHandler(jobRepository, rabbitTemplate, claims, runLease::token, properties.partitionQueue(),
                AuditPartitionStep.NAME, properties.partitionPoll(), properties.workerWait(),
                properties.partitions(), AuditPartitionHandler::rows);
    }
}
