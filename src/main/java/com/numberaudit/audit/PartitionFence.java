package com.numberaudit.audit;

import org.springframework.batch.core.step.StepExecution;

/**
 * What fences a partition's chunks: run last in each chunk's write, inside its transaction, it fails the chunk when
 * this process may no longer write the partition. Without a bean of this type a partition is fenced by this process's
 * run lease ({@code RunLease::confirmHeld}), as the single node is: right for partitions run in the manager's process.
 * A worker process provides its own (the partition's claim).
 */
@FunctionalInterface
public interface PartitionFence {

    /** The fence of this execution of a partition ({@code audit-partition:p<k>}). */
    Runnable of(StepExecution partition);
}
