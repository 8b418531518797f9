package com.numberaudit.audit;

import java.io.PrintStream;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import com.numberaudit.AuditProperties;
import com.numberaudit.platform.PlatformRegistry;
import com.numberaudit.report.AuditTotals;

/**
 * Runs the audit of one business date the way an operator expects: a first run starts it, a
 * run after a failure or a {@code kill -9} resumes it from the last committed chunk, a run of
 * a completed date says so and changes nothing.
 */
@Component
public class AuditRun {

    public static final int COMPLETED = 0;
    public static final int FAILED = 1;

    static final String DEMO_BANNER = "number-audit: DEMO RUN - every answer comes from the built-in simulator, "
            + "not from the platforms; these results must never be used to release a number.";

    private static final Logger log = LoggerFactory.getLogger(AuditRun.class);

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job numberAudit;
    private final AuditProperties properties;
    private final List<InputFile> inputFiles;
    private final PlatformRegistry platforms;

    public AuditRun(JobOperator jobOperator, JobRepository jobRepository, Job numberAudit, AuditProperties properties,
                    List<InputFile> inputFiles, PlatformRegistry platforms) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.numberAudit = numberAudit;
        this.properties = properties;
        this.inputFiles = inputFiles;
        this.platforms = platforms;
    }

    /** @return the process exit code: 0 completed, 1 failed (run the same command again to resume) */
    public int execute(PrintStream out) throws Exception {
        String date = properties.businessDate().toString();
        if (platforms.demo()) {
            out.println(DEMO_BANNER);
        }
        JobParameters parameters = new JobParametersBuilder()
                .addLocalDate("date", properties.businessDate())
                .addString("input", properties.input().toAbsolutePath().normalize().toString(), false)
                .toJobParameters();
        JobExecution last = jobRepository.getLastJobExecution(AuditJobConfiguration.JOB_NAME, parameters);
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
            out.printf("number-audit %s: already completed on %s; nothing changed. Results: %s%n",
                    date, last.getEndTime() == null ? "?" : last.getEndTime().withNano(0), properties.resultFolder());
            return COMPLETED;
        }
        if (last != null && last.getStatus().isRunning()) {
            // The job repository is locked by the running process, so a running execution found here is an orphan.
            log.warn("Run {} of {} was interrupted while {}; marking it failed and resuming it", last.getId(), date, last.getStatus());
            jobOperator.recover(last);
        } else if (last != null) {
            log.info("Resuming run {} of {}, which ended {}", last.getId(), date, last.getStatus());
        }
        JobExecution execution = jobOperator.start(numberAudit, parameters);
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            String cause = execution.getAllFailureExceptions().stream().findFirst()
                    .map(e -> e.getClass().getSimpleName() + ": " + e.getMessage()).orElse(execution.getExitStatus().getExitDescription());
            out.printf("number-audit %s: FAILED (%s). Run the same command again to resume from the last committed chunk.%n",
                    date, cause);
            return FAILED;
        }
        AuditTotals totals = AuditTotals.from(jobRepository.getLastStepExecution(execution.getJobInstance(),
                AuditJobConfiguration.AUDIT_STEP).getExecutionContext(), List.of());
        out.printf("number-audit %s: %d rows from %d file(s): clean %d, bound %d, undetermined %d, rejected %d%n",
                date, totals.rows(), inputFiles.size(), totals.clean(), totals.bound(), totals.undetermined(), totals.rejected());
        out.printf("Results: %s (clean.csv, bound.csv, undetermined.csv, rejected.csv, summary.json)%n",
                properties.resultFolder().toAbsolutePath().normalize());
        return COMPLETED;
    }
}
