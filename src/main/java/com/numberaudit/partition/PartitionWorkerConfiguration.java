package com.numberaudit.partition;

import java.time.Duration;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.Pollers;

import com.numberaudit.AuditProperties;
import com.numberaudit.audit.AuditPartitionStep;
import com.numberaudit.audit.StopRequest;

/**
 * {@code --audit.role=worker} (docs/scale-out-design.md §7): takes one message at a time from the queue with
 * {@code basic.get} (no prefetch: an idle worker takes exactly one, so the load balances itself) and runs its
 * partition; no reply, the manager reads the job repository.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RemotePartitioning.Worker.class)
public class PartitionWorkerConfiguration {

    /** The fence of {@code auditPartitionStep} in a worker: the claim of the partition under way. */
    @Bean
    ClaimFence partitionFence() {
        return new ClaimFence();
    }

    @Bean
    PartitionSteps partitionSteps(@Qualifier("auditPartitionStep") Step auditPartitionStep, ClaimFence fence) {
        return (stepExecutionId, claimFence) -> {
            fence.set(stepExecutionId, claimFence);
            return auditPartitionStep;
        };
    }

    @Bean
    PartitionRequestHandler partitionRequestHandler(JobRepository jobRepository, PartitionClaims claims, PartitionSteps partitionSteps) {
        return new PartitionRequestHandler(jobRepository, claims, AuditPartitionStep.NAME, partitionSteps);
    }

    @Bean
    IntegrationFlow partitionRequests(ConnectionFactory connectionFactory, AuditProperties properties, PartitionRequestHandler handler) {
        return requests(connectionFactory, properties.partitionQueue(), handler);
    }

    @Bean
    PartitionWorker partitionWorker(PartitionRequestHandler handler, StopRequest stop, AuditProperties properties) {
        return new PartitionWorker(handler, stop, properties.partitionQueue());
    }

    /** The inbound flow: one message per poll, a poll a second while idle; the partition runs on the poller's thread. */
    public static IntegrationFlow requests(ConnectionFactory connectionFactory, String queue, PartitionRequestHandler handler) {
        return IntegrationFlow.from(Amqp.inboundPolledAdapter(connectionFactory, queue),
                        adapter -> adapter.poller(Pollers.fixedDelay(Duration.ofSeconds(1)).maxMessagesPerPoll(1)))
                .handle(handler::handle)
                .get();
    }
}
