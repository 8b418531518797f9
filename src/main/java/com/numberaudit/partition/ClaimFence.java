package com.numberaudit.partition;

import org.springframework.batch.core.step.StepExecution;

import com.numberaudit.audit.PartitionFence;

/**
 * A worker's {@link PartitionFence}: the fence of the claim under which {@link PartitionRequestHandler} runs the
 * partition (one at a time per worker). A partition run without its claim's fence in place fails its chunks: fail
 * closed, never the run lease of a process that holds none.
 */
public final class ClaimFence implements PartitionFence {

    private record Current(long stepExecutionId, Runnable fence) {
    }

    private volatile Current current;

    /** From now on, step execution {@code stepExecutionId} is fenced by {@code fence}. */
    void set(long stepExecutionId, Runnable fence) {
        current = new Current(stepExecutionId, fence);
    }

    @Override
    public Runnable of(StepExecution partition) {
        Current claimed = current;
        if (claimed == null || claimed.stepExecutionId() != partition.getId()) {
            return () -> {
                throw new IllegalStateException(partition.getStepName() + " runs without this worker's claim of it");
            };
        }
        return claimed.fence();
    }
}
