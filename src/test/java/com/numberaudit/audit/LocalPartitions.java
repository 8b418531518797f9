package com.numberaudit.audit;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.task.SyncTaskExecutor;

import com.numberaudit.AuditProperties;
import com.numberaudit.repository.RunLease;

/**
 * Test wiring for a partitioned run in one process ({@code --spring.main.sources=com.numberaudit.audit.LocalPartitions}):
 * Spring Batch's {@link TaskExecutorPartitionHandler} runs every partition's {@code auditPartitionStep} here, one after
 * the other (as one worker serving p0, then p1, …), and a fence that records which partitions ran and can fail one
 * mid-way. Not a {@code @Configuration}: component scanning must not pick it up for every other test.
 */
public class LocalPartitions {

    /** The partition executions that ran, by step execution name, in order. */
    static final List<String> RAN = new CopyOnWriteArrayList<>();
    /** {@code audit-partition:p<k>} whose fence fails at its {@link #FAIL_AT_CHUNK}-th chunk; null: none fails. */
    static volatile String failing;
    static final AtomicInteger FAIL_AT_CHUNK = new AtomicInteger();
    /** Told each partition's name as it starts, after the partitions before it ended; null: nothing to tell. */
    static volatile Consumer<String> starting;
    /** Run once every partition has ended, before the report step; null: nothing to run. */
    static volatile Runnable ended;

    static void reset() {
        RAN.clear();
        failing = null;
        starting = null;
        ended = null;
    }

    /** Primary: a manager of several partitions also has the remote one (partition.AuditPartitionHandler), unused here. */
    @Bean
    @Primary
    PartitionHandler localPartitionHandler(@Qualifier("auditPartitionStep") Step auditPartitionStep, AuditProperties properties) {
        TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
        handler.setStep(auditPartitionStep);
        handler.setTaskExecutor(new SyncTaskExecutor());
        handler.setGridSize(properties.partitions());
        return (splitter, managerStepExecution) -> {
            Collection<StepExecution> partitions = handler.handle(splitter, managerStepExecution);
            Runnable then = ended;
            if (then != null) {
                then.run();
            }
            return partitions;
        };
    }

    @Bean
    PartitionFence recordingFence(RunLease runLease) {
        return partition -> {
            String name = partition.getStepName();
            RAN.add(name);
            Consumer<String> told = starting;
            if (told != null) {
                told.accept(name);
            }
            AtomicInteger chunks = new AtomicInteger();
            return () -> {
                runLease.confirmHeld();
                if (name.equals(failing) && chunks.incrementAndGet() == FAIL_AT_CHUNK.get()) {
                    failing = null;
                    throw new IllegalStateException("test: " + name + " loses its fence at chunk " + FAIL_AT_CHUNK.get());
                }
            };
        };
    }
}
