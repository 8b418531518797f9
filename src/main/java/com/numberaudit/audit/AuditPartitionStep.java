package com.numberaudit.audit;

import java.nio.file.Path;
import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import com.numberaudit.AuditProperties;
import com.numberaudit.ledger.Night;

/**
 * The step a partition runs ({@code audit-partition}; its executions {@code audit-partition:p<k>}): for each
 * execution a fresh chunk step from {@link AuditStepFactory}, over the range and into the part folder its execution
 * context names, so one process can run p0 and later p2. Its four CSVs go to {@code <staging>/parts/p<k>/} without
 * header ({@link PartitionOutputs}); restart truncation and forceSync are the single node's.
 * <p>
 * Everything it needs comes from the execution: the range and index from its context ({@link #PARTITION},
 * {@link #FROM}, {@link #TO}), the date from the job's parameters, the input folder from the job's context
 * ({@link AuditJobConfiguration#INPUT}), so a worker without {@code audit.input} or {@code audit.date} runs it.
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

    /** @param tickets the night's open tickets and their answers, as the manager's step {@code tickets} polled them */
    AuditPartitionStep(AuditStepFactory steps, AuditProperties properties, PartitionFence fence, TicketAnswers tickets) {
        this.steps = steps;
        this.properties = properties;
        this.fence = fence;
        this.tickets = tickets;
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
        ResultPublication.prepare(target.staging());
        ResultPublication.prepare(target.staging().resolve(PartitionOutputs.PARTS));
        steps.build(NAME, range, inputs, night.date(), PartitionOutputs.folder(target.staging(), index), false, fence.of(stepExecution),
                tickets).execute(stepExecution);
    }
}
