package com.numberaudit.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.PartitionNameProvider;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import com.numberaudit.ledger.HeldSet;
import com.numberaudit.ledger.Night;

/**
 * Splits the night's row sequence (input rows in file order, then the held numbers) into {@code audit.partitions}
 * contiguous {@link RowRange}s, {@code p0 … p<N-1>}, without reading the input: the rows are estimated as
 * {@code E = Σ InputFile.rowsAtMost() + (reaudit ? held numbers : 0)}, partition k gets {@code [k·E/N, (k+1)·E/N)}
 * and the last one is open-ended. E overcounts (blank lines, held numbers the input lists again), so a partition may
 * come out short or empty: that costs balance only, never a row.
 * <p>
 * Listens to the partitioned step for the night (whose held set it counts, on a restart too: the manager's progress
 * lines give the estimate as the night's rows). On a restart Spring Batch does not
 * partition again: it asks for the names ({@link PartitionNameProvider}) and reuses each partition's last context.
 * The number of partitions is {@code audit.partitions}, whatever grid size the partition handler passes.
 */
final class RowRangePartitioner implements Partitioner, PartitionNameProvider, StepExecutionListener {

    private final List<InputFile> inputs;
    private final HeldSet heldSet;
    private final boolean reaudit;
    private final int partitions;
    /** Set before the step partitions, read by the manager's progress line from its own thread. */
    private volatile long estimate;

    RowRangePartitioner(List<InputFile> inputs, HeldSet heldSet, boolean reaudit, int partitions) {
        this.inputs = inputs;
        this.heldSet = heldSet;
        this.reaudit = reaudit;
        this.partitions = partitions;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        Night night = AuditRun.nightOf(stepExecution.getJobParameters());
        estimate = inputs.stream().mapToLong(InputFile::rowsAtMost).sum() + (reaudit ? heldSet.size(night) : 0);
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        return ranges(estimate, partitions);
    }

    /** The night's rows, at most a little too many (an input's physical lines, its held numbers): the ranges' estimate. */
    long expectedRows() {
        return estimate;
    }

    @Override
    public Collection<String> getPartitionNames(int gridSize) {
        return names(partitions);
    }

    /** The contexts of {@code partitions} ranges over an estimated {@code rows}, by partition name, in order. */
    static Map<String, ExecutionContext> ranges(long rows, int partitions) {
        Map<String, ExecutionContext> contexts = new LinkedHashMap<>();
        for (int k = 0; k < partitions; k++) {
            long from = Math.multiplyExact(rows, k) / partitions;
            long to = k == partitions - 1 ? Long.MAX_VALUE : Math.multiplyExact(rows, k + 1) / partitions;
            ExecutionContext context = new ExecutionContext();
            AuditPartitionStep.describe(context, k, new RowRange(from, to));
            contexts.put(name(k), context);
        }
        return contexts;
    }

    static List<String> names(int partitions) {
        List<String> names = new ArrayList<>(partitions);
        for (int k = 0; k < partitions; k++) {
            names.add(name(k));
        }
        return names;
    }

    static String name(int index) {
        return "p" + index;
    }
}
