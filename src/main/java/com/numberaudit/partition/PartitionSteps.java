package com.numberaudit.partition;

import org.springframework.batch.core.step.Step;

/**
 * What a worker runs for a partition: the partition step, with the worker's fence run last in each chunk's
 * transaction (docs/scale-out-design.md §7), in place of the single node's run lease.
 */
@FunctionalInterface
public interface PartitionSteps {

    /** The step to run for step execution {@code stepExecutionId}, whose every chunk runs {@code fence} last. */
    Step fencedBy(long stepExecutionId, Runnable fence);
}
