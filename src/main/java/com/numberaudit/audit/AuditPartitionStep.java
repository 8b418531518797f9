package com.numberaudit.audit;

import java.nio.file.Path;
import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import com.numberaudit.AuditConfigurationException;
import com.numberaudit.AuditProperties;
import com.numberaudit.ledger.HeldSet;
import com.numberaudit.ledger.Night;
import com.numberaudit.platform.PlatformRegistry;

/**
 * The step a partition runs ({@code audit-partition}; its executions {@code audit-partition:p<k>}): for each
 * execution a fresh chunk step from {@link AuditStepFactory}, over the range and into the part folder its execution
 * context names, so one process can run p0 and later p2. Its four CSVs go to {@code <staging>/parts/p<k>/} without
 * header ({@link PartitionOutputs}); restart truncation and forceSync are the single node's.
 * <p>
 * Everything it needs comes from the execution: the range and index from its context ({@link #PARTITION},
 * {@link #FROM}, {@link #TO}), the date from the job's parameters, the input folder from the job's context
 * ({@link AuditJobConfiguration#INPUT}), so a worker without {@code audit.input} or {@code audit.date} runs it.
 * <p>
 * Before its first row it checks that this process would run the night the manager recorded ({@link RunFingerprint}:
 * the same platforms asked where and how, the same input files, output folder, held set and {@code audit.reaudit}).
 * A worker set up otherwise (a platform left out, a url forgotten and the built-in simulator answering, another
 * input) would write verdicts the manager's night never asked for: its partition fails instead, naming each
 * difference, and the night with it.
 */
public final class AuditPartitionStep implements Step {

    /** The step's name; the executions of partition k are named {@code audit-partition:p<k>}. */
    public static final String NAME = "audit-partition";
    /** Partition step execution context key (int): the partition's index k, from 0. */
    public static final String PARTITION = "audit.partition.index";
    /** Partition step execution context key (long): the first row of its range. */
    public static final String FROM = "audit.partition.from";
    /** Partition step execution context key (long): the row after its range's last; {@link Long#MAX_VALUE} open-ended. */
    public static final String TO = "audit.partition.to";

    private final AuditStepFactory steps;
    private final AuditProperties properties;
    private final PartitionFence fence;
    private final TicketAnswers tickets;
    private final PlatformRegistry platforms;
    private final HeldSet heldSet;
    private final JobRepository jobRepository;

    /** @param tickets the night's open tickets and their answers, as the manager's step {@code tickets} polled them */
    AuditPartitionStep(AuditStepFactory steps, AuditProperties properties, PartitionFence fence, TicketAnswers tickets,
                       PlatformRegistry platforms, HeldSet heldSet, JobRepository jobRepository) {
        this.steps = steps;
        this.properties = properties;
        this.fence = fence;
        this.tickets = tickets;
        this.platforms = platforms;
        this.heldSet = heldSet;
        this.jobRepository = jobRepository;
    }

    /** Writes what a partition's execution context says of it. */
    static void describe(ExecutionContext context, int index, RowRange range) {
        context.putInt(PARTITION, index);
        context.putLong(FROM, range.from());
        context.putLong(TO, range.to());
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public void execute(StepExecution stepExecution) throws JobInterruptedException {
        Step step;
        try {
            step = prepare(stepExecution);
        } catch (RuntimeException e) {
            // as a step that fails records it: whoever runs this (a worker's request handler) does not, and the
            // manager would wait for a partition still STARTING
            stepExecution.addFailureException(e);
            FailedSteps.record(jobRepository, stepExecution, e.getMessage());
            return;
        }
        step.execute(stepExecution);
    }

    /** The partition's chunk step, once this process is found set up for the manager's night. */
    private Step prepare(StepExecution stepExecution) {
        ExecutionContext context = stepExecution.getExecutionContext();
        int index = context.getInt(PARTITION);
        RowRange range = new RowRange(context.getLong(FROM), context.getLong(TO));
        JobExecution job = stepExecution.getJobExecution();
        Night night = AuditRun.nightOf(job.getJobParameters());
        AuditTarget target = new AuditTarget(night.date(), properties.output().toAbsolutePath().normalize());
        Object input = job.getExecutionContext().get(AuditJobConfiguration.INPUT);
        if (!(input instanceof String folder)) {
            throw new IllegalStateException("the job execution " + job.getId() + " names no input folder ("
                    + AuditJobConfiguration.INPUT + "): not a partitioned run");
        }
        List<InputFile> inputs = InputFile.resolve(Path.of(folder));
        confirmSameNight(job, target, inputs, night);
        ResultPublication.prepare(target.staging());
        ResultPublication.prepare(target.staging().resolve(PartitionOutputs.PARTS));
        return steps.build(NAME, range, inputs, night.date(), PartitionOutputs.folder(target.staging(), index), false, fence.of(stepExecution),
                tickets);
    }

    /** Refuses, each difference named, when this process is not set up for the night the manager recorded. */
    private void confirmSameNight(JobExecution job, AuditTarget target, List<InputFile> inputs, Night night) {
        RunFingerprint recorded = AuditRun.recorded(job);
        List<String> differences = recorded == null ? List.of("the manager recorded no identity for the night")
                : RunFingerprint.of(target, inputs, platforms).withPartitions(recorded.partitions())
                        .withHeldSet(properties.reaudit(), heldSet.summary(night)).differencesFrom(recorded, "the manager");
        if (!differences.isEmpty()) {
            throw new AuditConfigurationException("this process is set up for another night than the manager's: "
                    + String.join("; ", differences));
        }
    }
}
