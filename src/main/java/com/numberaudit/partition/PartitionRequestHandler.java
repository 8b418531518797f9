package com.numberaudit.partition;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.integration.StaticMessageHeaderAccessor;
import org.springframework.integration.acks.AcknowledgmentCallback;
import org.springframework.messaging.Message;

/**
 * A worker's handling of one partition message (docs/scale-out-design.md §7): drops a message for an execution that
 * is unknown, not a partition, no longer waiting to start or of a job that is not running (a stale or repeated
 * message: Spring Batch's own handler would run it twice); claims the partition, then acks the message (killed
 * before the claim: the broker requeues it; after it: the manager sees the claim go silent); runs the partition
 * step, fenced by the claim and the manager's run lease; releases the claim. One partition at a time.
 */
public class PartitionRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(PartitionRequestHandler.class);

    private final JobRepository jobRepository;
    private final PartitionClaims claims;
    private final String stepName;
    private final PartitionSteps steps;
    private volatile StepExecution running;
    private volatile boolean stopping;
    /** Held while a message is handled: a stopping worker waits for it. */
    private final ReentrantLock busy = new ReentrantLock();

    /** @param stepName the partition step's name: partitions' executions are {@code <stepName>:p<k>} */
    public PartitionRequestHandler(JobRepository jobRepository, PartitionClaims claims, String stepName, PartitionSteps steps) {
        this.jobRepository = jobRepository;
        this.claims = claims;
        this.stepName = stepName;
        this.steps = steps;
    }

    public void handle(Message<?> message) {
        busy.lock();
        try {
            handleOne(message);
        } finally {
            busy.unlock();
        }
    }

    private void handleOne(Message<?> message) {
        AcknowledgmentCallback ack = StaticMessageHeaderAccessor.getAcknowledgmentCallback(message);
        if (stopping) {
            acknowledge(ack, AcknowledgmentCallback.Status.REQUEUE); // taken while this worker stops: another takes it
            return;
        }
        PartitionRequest request;
        try {
            Object payload = message.getPayload();
            request = PartitionRequest.fromJson(payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                    : String.valueOf(payload));
        } catch (IllegalArgumentException e) {
            log.warn("Dropped a message that is no partition request: {}", e.getMessage());
            acknowledge(ack, AcknowledgmentCallback.Status.ACCEPT);
            return;
        }
        PartitionClaim claim = null;
        StepExecution execution;
        try {
            execution = jobRepository.getStepExecution(request.stepExecutionId());
            String stale = stale(execution, request);
            if (stale != null) {
                log.info("Dropped the request for step execution {}: {}", request.stepExecutionId(), stale);
                acknowledge(ack, AcknowledgmentCallback.Status.ACCEPT);
                return;
            }
            Optional<PartitionClaim> claimed = claims.claim(execution.getId(), execution.getJobExecutionId(), execution.getStepName(),
                    () -> stopRunning(request.stepExecutionId()));
            if (claimed.isEmpty()) {
                log.info("Dropped the request for {}: another worker claimed it, or the manager gave it up", execution.getStepName());
                acknowledge(ack, AcknowledgmentCallback.Status.ACCEPT);
                return;
            }
            claim = claimed.get();
            // another worker may have run it and released its claim between the check above and this claim
            execution = jobRepository.getStepExecution(request.stepExecutionId());
            stale = stale(execution, request);
            if (stale != null) {
                claim.close();
                log.info("Dropped the request for step execution {}: {}", request.stepExecutionId(), stale);
                acknowledge(ack, AcknowledgmentCallback.Status.ACCEPT);
                return;
            }
        } catch (RuntimeException e) {
            // the repository is unreachable: another worker, or this one later, takes the message; a claim taken is
            // released, or its heartbeat would keep it alive and every worker would drop the message as claimed
            if (claim != null) {
                claim.close();
            }
            acknowledge(ack, AcknowledgmentCallback.Status.REQUEUE);
            throw e;
        }
        try (PartitionClaim held = claim) {
            acknowledge(ack, AcknowledgmentCallback.Status.ACCEPT);
            run(request, execution, held);
        }
    }

    private void run(PartitionRequest request, StepExecution execution, PartitionClaim claim) {
        JobExecution job = execution.getJobExecution();
        String managerToken = job.getExecutionContext().getString(AuditPartitionHandler.MANAGER_TOKEN, "");
        LocalDate date = job.getJobParameters().getLocalDate("date");
        Step partition = steps.fencedBy(execution.getId(), claim.fence(date, managerToken));
        StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
        handler.setJobRepository(jobRepository);
        handler.setStepLocator(name -> new Step() {
            @Override
            public String getName() {
                return partition.getName();
            }

            @Override
            public void execute(StepExecution stepExecution) throws JobInterruptedException {
                running = stepExecution;
                try {
                    partition.execute(stepExecution);
                } finally {
                    running = null;
                }
            }
        });
        log.info("Running {} of the night {} (rerun {}), step execution {}", execution.getStepName(), request.date(), request.rerun(),
                execution.getId());
        StepExecution ended = handler.handle(new StepExecutionRequest(stepName, execution.getId()));
        log.info("{} ended {} after {} rows committed", execution.getStepName(), ended.getStatus(), ended.getWriteCount());
    }

    /**
     * Takes no partition from now on, and stops the one under way at its next chunk; returns once it has stopped
     * (its execution STOPPED, which the manager's next run resumes) and its claim is released.
     */
    public void stop() {
        stopping = true;
        StepExecution execution = running;
        if (execution != null) {
            execution.setTerminateOnly();
        }
        busy.lock();
        busy.unlock();
    }

    private void stopRunning(long stepExecutionId) {
        StepExecution execution = running;
        if (execution != null && execution.getId() == stepExecutionId) {
            execution.setTerminateOnly();
        }
    }

    /** Why this execution is not to be run, or null. */
    private String stale(StepExecution execution, PartitionRequest request) {
        if (execution == null) {
            return "no such step execution in this job repository";
        }
        if (!execution.getStepName().startsWith(stepName + ":")) {
            return "step " + execution.getStepName() + " is no partition of " + stepName;
        }
        if (execution.getJobExecutionId() != request.jobExecutionId()) {
            return "it belongs to job execution " + execution.getJobExecutionId() + ", not " + request.jobExecutionId();
        }
        if (execution.getStatus() != BatchStatus.STARTING) {
            return execution.getStepName() + " is " + execution.getStatus() + " already";
        }
        JobExecution job = execution.getJobExecution();
        if (job == null || !job.getStatus().isRunning()) {
            return "its job execution is " + (job == null ? "unknown" : job.getStatus().toString());
        }
        return null;
    }

    private static void acknowledge(AcknowledgmentCallback ack, AcknowledgmentCallback.Status status) {
        if (ack != null && !ack.isAcknowledged()) {
            ack.acknowledge(status);
        }
    }
}
