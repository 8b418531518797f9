package com.numberaudit.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.partition.StepExecutionAggregator;
import org.springframework.batch.core.partition.support.RemoteStepExecutionAggregator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import com.numberaudit.report.AuditTotals;

/**
 * Adds up the partitions into the partitioned step {@code audit}: Spring Batch's counts and status (read back from
 * the job repository, where a remote partition left them), and the {@link AuditTotals} of the last execution of
 * every partition and of the step that polled the night's tickets (its requests), those a restart skipped because they had completed included (Spring Batch hands over only the
 * executions it ran). The report step and AuditRun then read the totals of step {@code audit} as they do a single
 * node's.
 */
final class PartitionTotalsAggregator implements StepExecutionAggregator {

    private final JobRepository jobRepository;
    private final List<String> platformIds;
    private final int partitions;
    private final String ticketsStep;
    private final StepExecutionAggregator counts;

    /** @param ticketsStep the step that polled the night's tickets, whose requests count too */
    PartitionTotalsAggregator(JobRepository jobRepository, List<String> platformIds, int partitions, String ticketsStep) {
        this.jobRepository = jobRepository;
        this.platformIds = platformIds;
        this.partitions = partitions;
        this.ticketsStep = ticketsStep;
        this.counts = new RemoteStepExecutionAggregator(jobRepository);
    }

    @Override
    public void aggregate(StepExecution result, Collection<StepExecution> executions) {
        counts.aggregate(result, executions);
        AuditTotals sum = committed(jobRepository, result.getJobExecution().getJobInstance(), platformIds, partitions, ticketsStep);
        ExecutionContext context = result.getExecutionContext();
        // the sum replaces what an earlier execution of the step summed (its context is carried over to a restart)
        context.entrySet().stream().map(entry -> entry.getKey()).filter(key -> key.startsWith(AuditTotals.KEY_PREFIX)).toList()
                .forEach(context::remove);
        sum.update(context);
        jobRepository.updateExecutionContext(result);
    }

    /**
     * What the last execution of every partition of {@code night} and of its tickets step have committed, added up.
     *
     * @param platformIds the platforms whose answers and requests to add up too (none: the verdicts only)
     */
    static AuditTotals committed(JobRepository jobRepository, JobInstance night, List<String> platformIds, int partitions, String ticketsStep) {
        AuditTotals sum = new AuditTotals(platformIds, null);
        List<String> steps = new ArrayList<>();
        steps.add(ticketsStep);
        RowRangePartitioner.names(partitions).forEach(name -> steps.add(AuditPartitionStep.NAME + ":" + name));
        for (String step : steps) {
            StepExecution last = jobRepository.getLastStepExecution(night, step);
            if (last != null) {
                sum = sum.plus(AuditTotals.from(last.getExecutionContext(), platformIds));
            }
        }
        return sum;
    }
}
