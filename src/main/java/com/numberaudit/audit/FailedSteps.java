package com.numberaudit.audit;

import java.time.LocalDateTime;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Records a step execution FAILED on behalf of the process that ran it and could not: a partition that failed before
 * its chunk step began (its worker's handler records nothing), one whose worker is gone (the manager), one left running
 * by a killed process (the next run).
 */
public final class FailedSteps {

    private FailedSteps() {
    }

    /**
     * Sets FAILED, the exit description {@code why} and an end time (kept if it has one), and writes it: the
     * repository's version check fails it ({@code OptimisticLockingFailureException}) if the step changed since read.
     */
    public static void record(JobRepository jobRepository, StepExecution step, String why) {
        step.setStatus(BatchStatus.FAILED);
        step.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
        if (step.getEndTime() == null) {
            step.setEndTime(LocalDateTime.now());
        }
        jobRepository.update(step);
    }
}
