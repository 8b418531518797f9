package com.numberaudit.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.DataAccessException;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

import com.numberaudit.AuditProperties;
import com.numberaudit.partition.RemotePartitioning;
import com.numberaudit.ledger.Escalations;
import com.numberaudit.ledger.HeldSet;
import com.numberaudit.ledger.Night;
import com.numberaudit.ledger.TrailRetention;
import com.numberaudit.metrics.RunMetrics;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;
import com.numberaudit.report.AuditTotals;
import com.numberaudit.report.PlatformNotices;
import com.numberaudit.report.PlatformsDown;
import com.numberaudit.report.ReportHtml;
import com.numberaudit.report.SummaryReport;
import com.numberaudit.repository.RunLease;

/**
 * Runs the audit of one business date the way an operator expects: a first run starts it; a run
 * after a failure, a stop or a {@code kill -9} resumes it from the last committed chunk, provided
 * it is the same run (same {@link RunFingerprint}); a run of a completed date with the same
 * identity says so and changes nothing. Anything else is refused with the differences named;
 * {@code --audit.rerun=true} audits the date again as a new instance whose results replace the
 * earlier ones whole.
 * <p>
 * Instances: the first audit of a date is identified by {@code date} alone, its n-th rerun by
 * {@code date} and {@code rerun=n}; the date's latest instance is the one a command continues.
 * Each instance takes the ledger's {@link HeldSet} when it first starts; the held set is part of
 * its identity, so a restart re-audits the numbers the interrupted run did.
 */
@Component
@Conditional(RemotePartitioning.NotWorker.class)
public class AuditRun {

    /** Completed, and every platform answered (isolated failures aside): every number is in its result file. */
    public static final int COMPLETED = 0;
    /** Failed or stopped: the same command resumes it. */
    public static final int FAILED = 1;
    /** Refused (configuration, input, identity, another live run): nothing processed; not worth retrying as it is. */
    public static final int REFUSED = 2;
    /**
     * Completed, but a platform was down or its circuit open ({@link PlatformsDown}): its numbers are held, and someone
     * should look at the night before the next one. Said again by a run of the date that finds it completed.
     */
    public static final int PLATFORM_DOWN = 3;

    static final String DEMO_BANNER = "number-audit: DEMO RUN - every answer comes from the built-in simulator, "
            + "not from the platforms; these results must never be used to release a number.";
    private static final String RERUN = "rerun";

    private static final Logger log = LoggerFactory.getLogger(AuditRun.class);

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job numberAudit;
    private final AuditProperties properties;
    private final AuditTarget target;
    private final List<InputFile> inputFiles;
    private final PlatformRegistry platforms;
    private final RunFingerprint fingerprint;
    private final StopRequest stop;
    private final RunLease runLease;
    private final HeldSet heldSet;
    private final TrailRetention retention;
    private final RunMetrics metrics;

    public AuditRun(JobOperator jobOperator, JobRepository jobRepository, Job numberAudit, AuditProperties properties,
                    AuditTarget target, List<InputFile> inputFiles, PlatformRegistry platforms, RunFingerprint fingerprint,
                    StopRequest stop, RunLease runLease, HeldSet heldSet, TrailRetention retention, RunMetrics metrics) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.numberAudit = numberAudit;
        this.properties = properties;
        this.target = target;
        this.inputFiles = inputFiles;
        this.platforms = platforms;
        this.fingerprint = fingerprint;
        this.stop = stop;
        this.runLease = runLease;
        this.heldSet = heldSet;
        this.retention = retention;
        this.metrics = metrics;
    }

    /** The rerun number of an instance's parameters: 0 for the first audit of a date. */
    static long rerunOf(JobParameters parameters) {
        Long rerun = parameters.getLong(RERUN);
        return rerun == null ? 0 : rerun;
    }

    /** The night an instance's parameters name. */
    static Night nightOf(JobParameters parameters) {
        return new Night(parameters.getLocalDate("date"), rerunOf(parameters));
    }

    /** The identity of the date's instance {@code rerun}, with the held set it took. */
    private RunFingerprint identity(long rerun) {
        return fingerprint.withHeldSet(properties.reaudit(), heldSet.summary(new Night(target.date(), rerun)));
    }
    /**
     * @param out the console (stdout); refusals go to {@code err}
     * @return the process exit code: 0 completed, 3 completed but a platform was down (a look is needed), 1 failed or
     *         stopped (the same command resumes), 2 refused
     */
    public int execute(PrintStream out, PrintStream err) throws Exception {
        stop.install();
        if (platforms.demo()) {
            out.println(DEMO_BANNER);
        }
        LocalDate date = target.date();
        Optional<RunLease.Holder> live = runLease.acquire(date);
        if (live.isPresent()) {
            return refuseLive(err, date, live.get());
        }
        try {
            return executeHeld(out, err, date);
        } finally {
            runLease.close();
        }
    }

    private int executeHeld(PrintStream out, PrintStream err, LocalDate date) throws Exception {
        if (properties.date() == null) {
            LocalDate interrupted = interruptedEarlierDate();
            Optional<RunLease.Holder> live = interrupted == null ? Optional.empty() : runLease.liveHolder(interrupted);
            if (live.isPresent()) {
                return refuseLive(err, interrupted, live.get());
            }
            if (interrupted != null) {
                err.println("number-audit: refused: the run of " + interrupted + " was interrupted, and audit.date is not set, so this "
                        + "command would audit " + date + " instead.");
                err.println("number-audit: Resume it first with --audit.date=" + interrupted + " (the same set-up as then), then audit "
                        + date + ".");
                return REFUSED;
            }
        }
        long rerun = 0;
        JobExecution last = null;
        for (JobExecution found; (found = jobRepository.getLastJobExecution(AuditJobConfiguration.JOB_NAME, parameters(rerun))) != null; rerun++) {
            last = found;
        }
        if (last == null) {
            return start(out, 0, true);
        }
        rerun--;
        if (last.getStatus() == BatchStatus.ABANDONED) {
            // abandoned for a rerun that never started (a stop came between): that rerun is due
            return start(out, rerun + 1, true);
        }
        RunFingerprint earlier = recorded(last);
        RunFingerprint identity = identity(rerun);
        if (last.getStatus() == BatchStatus.COMPLETED) {
            if (properties.rerun()) {
                out.printf("number-audit %s: auditing the date again (rerun %d); its results will replace those of %s%n",
                        date, rerun + 1, target.results());
                return start(out, rerun + 1, true);
            }
            if (identity.equals(earlier)) {
                out.printf("number-audit %s: already completed on %s; nothing changed. Results: %s%n",
                        date, last.getEndTime() == null ? "?" : last.getEndTime().withNano(0), target.results());
                return exitCode(out, last);
            }
            return refuse(err, "the completed run of " + date + " had another identity", identity, earlier, "the completed run",
                    "Run with --audit.rerun=true to audit " + date + " again with today's set-up; its results will replace the earlier ones.");
        }
        if (properties.rerun()) {
            if (!stop.requested()) {
                abandon(last);
                out.printf("number-audit %s: abandoned the interrupted run %d; auditing the date afresh (rerun %d)%n",
                        date, last.getId(), rerun + 1);
            }
            return start(out, rerun + 1, true);
        }
        if (!identity.equals(earlier)) {
            return refuse(err, "the interrupted run of " + date + " had another identity, so it cannot be resumed", identity, earlier,
                    "the interrupted run", "Restore its input and settings to resume it, or run with --audit.rerun=true to abandon it "
                            + "and audit " + date + " afresh.");
        }
        recover(last);
        log.info("Resuming run {} of {}, which ended {}", last.getId(), date, last.getStatus());
        return start(out, rerun, false);
    }

    /**
     * The date of the latest run if it is of an earlier date and was interrupted: a command without
     * {@code audit.date} run again after midnight must not leave it behind for today.
     */
    private LocalDate interruptedEarlierDate() {
        JobInstance latest = jobRepository.getLastJobInstance(AuditJobConfiguration.JOB_NAME);
        JobExecution execution = latest == null ? null : jobRepository.getLastJobExecution(latest);
        if (execution == null || execution.getStatus() == BatchStatus.COMPLETED || execution.getStatus() == BatchStatus.ABANDONED) {
            return null;
        }
        LocalDate date = execution.getJobParameters().getLocalDate("date");
        return date != null && date.isBefore(target.date()) ? date : null;
    }

    private int refuseLive(PrintStream err, LocalDate date, RunLease.Holder holder) {
        err.printf("number-audit: refused: %s is being audited by another process, %s (started %s, last heard %d s ago)%n",
                date, holder, holder.acquiredAt().withNano(0), holder.silentFor().toSeconds());
        err.printf("number-audit: Run this command again once it has ended. If it is gone (its host down), this command takes its "
                + "run over once it has been silent for %d s (audit.run-lease).%n", runLease.duration().toSeconds());
        return REFUSED;
    }

    private JobParameters parameters(long rerun) {
        JobParametersBuilder parameters = new JobParametersBuilder().addLocalDate("date", target.date());
        if (rerun > 0) {
            parameters.addLong(RERUN, rerun);
        }
        return parameters.toJobParameters();
    }

    /** The identity an execution recorded when it started (null if it recorded none). */
    @SuppressWarnings("unchecked")
    static RunFingerprint recorded(JobExecution execution) {
        Object entries = execution.getExecutionContext().get(AuditJobConfiguration.FINGERPRINT);
        return entries instanceof Map<?, ?> map ? new RunFingerprint((Map<String, String>) map) : null;
    }

    private int refuse(PrintStream err, String what, RunFingerprint identity, RunFingerprint earlier, String which, String remedy) {
        List<String> lines = new ArrayList<>();
        lines.add("refused: " + what + ":");
        if (earlier == null) {
            lines.add("  its identity was not recorded (made by an earlier version of number-audit)");
        } else {
            identity.differencesFrom(earlier, which).forEach(difference -> lines.add("  " + difference));
        }
        lines.add(remedy);
        lines.forEach(line -> err.println("number-audit: " + line));
        return REFUSED;
    }

    /**
     * Makes an interrupted execution restartable. One still marked running, or with a step still
     * marked running, is an orphan: this process holds the date's {@link RunLease}, so no live
     * process is running it (a killed process or a database that went away kept its end from being
     * recorded). One
     * left UNKNOWN by a failed save is safe to resume for this job: the staged files are flushed
     * just before each commit and cut back on restart to the position the repository holds, so
     * whatever became of the commit, the saved position is one the files can resume from
     * (DatabaseFailureTest: a lost commit, a lost reply, a failed save inside a chunk and at its end).
     */
    private void recover(JobExecution last) {
        JobInstance instance = last.getJobInstance();
        for (JobExecution execution : jobRepository.getJobExecutions(instance)) {
            if (execution.getStatus() == BatchStatus.UNKNOWN) {
                log.warn("Run {} of {} ended in an unknown state (a commit failed); resuming it from its last saved chunk",
                        execution.getId(), target.date());
                execution.setStatus(BatchStatus.FAILED);
                execution.setExitStatus(ExitStatus.FAILED.addExitDescription("recovered from UNKNOWN by number-audit"));
                execution.setEndTime(execution.getEndTime() == null ? LocalDateTime.now() : execution.getEndTime());
                jobRepository.update(execution);
            }
        }
        JobExecution latest = jobRepository.getLastJobExecution(instance);
        if (latest.getStatus().isRunning()) {
            log.warn("Run {} of {} was interrupted while {}; marking it failed and resuming it", latest.getId(), target.date(),
                    latest.getStatus());
            jobOperator.recover(latest);
        }
        for (StepExecution step : latest.getStepExecutions()) {
            if (step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning()) {
                markFailed(step);
            }
        }
    }

    private void markFailed(StepExecution step) {
        FailedSteps.record(jobRepository, step, "recovered from " + step.getStatus() + " by number-audit");
    }

    /** Ends an interrupted instance for good; the rerun that replaces it starts afresh, deleting what it staged. */
    private void abandon(JobExecution last) {
        recover(last);
        JobExecution latest = jobRepository.getLastJobExecution(last.getJobInstance());
        latest.setStatus(BatchStatus.ABANDONED);
        latest.setExitStatus(ExitStatus.STOPPED.addExitDescription("abandoned for a rerun by number-audit"));
        jobRepository.update(latest);
    }

    private int start(PrintStream out, long rerun, boolean fresh) throws Exception {
        LocalDate date = target.date();
        if (stop.requested()) {
            out.printf("number-audit %s: %s before the run started; nothing was done%n", date, stop.cause());
            return FAILED;
        }
        if (fresh) {
            ResultPublication.discard(target.staging());
            heldSet.take(new Night(date, rerun), platformIds(), properties.reaudit());
        }
        JobExecution execution = jobOperator.start(numberAudit, parameters(rerun));
        if (execution.getStatus() == BatchStatus.STOPPED) {
            out.printf("number-audit %s: STOPPED by %s after %d rows committed. Run the same command again to resume.%n",
                    date, stop.cause(), committedRows(execution));
            return FAILED;
        }
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            String cause = failureCause(execution);
            out.printf("number-audit %s: FAILED (%s).%s%n", date, cause, failures(execution).anyMatch(RerunRequired.class::isInstance)
                    ? "" : " Run the same command again to resume from the last committed chunk.");
            return FAILED;
        }
        AuditTotals totals = AuditTotals.from(jobRepository.getLastStepExecution(execution.getJobInstance(),
                AuditJobConfiguration.AUDIT_STEP).getExecutionContext(), List.of());
        out.printf("number-audit %s: %d rows from %d file(s), %d held number(s) from the ledger: clean %d, bound %d, undetermined %d, "
                        + "rejected %d%n", date, totals.rows() - totals.reaudited(), inputFiles.size(), totals.reaudited(), totals.clean(),
                totals.bound(), totals.undetermined(), totals.rejected());
        long escalated = jobRepository.getLastStepExecution(execution.getJobInstance(), AuditJobConfiguration.REPORT_STEP)
                .getExecutionContext().getLong(AuditJobConfiguration.ESCALATED, 0L);
        if (escalated > 0) {
            long days = properties.escalateAfter().toDays();
            out.printf("number-audit %s: %d number(s) held longer than %d %s: see %s%n", date, escalated, days, days == 1 ? "day" : "days",
                    Escalations.FILE);
        }
        PlatformsDown down = platformsDown(execution);
        int exitCode = down.any() ? PLATFORM_DOWN : COMPLETED;
        List<String> files = new ArrayList<>(List.of("clean.csv", "bound.csv", "undetermined.csv", "rejected.csv", Escalations.FILE,
                SummaryReport.FILE, ReportHtml.FILE));
        if (publishMetrics(exitCode)) {
            files.add(RunMetrics.FILE);
        }
        if (Files.isDirectory(target.results().resolve(PlatformNotices.FOLDER))) {
            files.add(PlatformNotices.FOLDER + "/");
        }
        Map<?, ?> notices = notices(execution);
        out.printf("Results: %s (%s)%n", target.results(), String.join(", ", files));
        if (!notices.isEmpty()) {
            List<String> each = new ArrayList<>();
            notices.forEach((platform, ids) -> each.add(platform + " " + ids));
            out.printf("number-audit %s: %d platform(s) still hold bindings; the ids to send each: %s (%s)%n", target.date(),
                    notices.size(), target.results().resolve(PlatformNotices.FOLDER), String.join(", ", each));
        }
        printDown(out, down);
        pruneTrail();
        return exitCode;
    }

    /**
     * Why the run failed: the audit step's own exception first (a partitioned run's names the partition and its worker),
     * then the report step's, then the job's. Not {@code getAllFailureExceptions()}, which collects them in a HashSet
     * and so picks one at random when several steps or levels recorded one.
     */
    static String failureCause(JobExecution execution) {
        return failures(execution).findFirst().map(e -> e.getClass().getSimpleName() + ": " + e.getMessage())
                .orElse(execution.getExitStatus().getExitDescription());
    }

    /** The failures of a run: its audit step's first, then the other steps' in order, then the job's own. */
    private static Stream<Throwable> failures(JobExecution execution) {
        List<Throwable> failures = new ArrayList<>();
        execution.getStepExecutions().stream().filter(step -> step.getStepName().equals(AuditJobConfiguration.AUDIT_STEP))
                .forEach(step -> failures.addAll(step.getFailureExceptions()));
        execution.getStepExecutions().stream().filter(step -> !step.getStepName().equals(AuditJobConfiguration.AUDIT_STEP))
                .sorted(Comparator.comparing(StepExecution::getId)).forEach(step -> failures.addAll(step.getFailureExceptions()));
        failures.addAll(execution.getFailureExceptions());
        return failures.stream();
    }

    /** Per platform that still holds bindings, how many ids its notice lists (none on a night without bindings). */
    private Map<?, ?> notices(JobExecution execution) {
        Object notices = jobRepository.getLastStepExecution(execution.getJobInstance(), AuditJobConfiguration.REPORT_STEP)
                .getExecutionContext().get(AuditJobConfiguration.NOTICES);
        return notices instanceof Map<?, ?> counts ? counts : Map.of();
    }

    /**
     * 3 when a platform was down that night, each named on the console with why; else 0. Decided from the totals the
     * completed run's audit step committed, so a resumed night or a completed date run again says the same.
     */
    private int exitCode(PrintStream out, JobExecution completed) {
        PlatformsDown down = platformsDown(completed);
        printDown(out, down);
        return down.any() ? PLATFORM_DOWN : COMPLETED;
    }

    private PlatformsDown platformsDown(JobExecution completed) {
        return PlatformsDown.of(AuditTotals.from(jobRepository.getLastStepExecution(completed.getJobInstance(),
                AuditJobConfiguration.AUDIT_STEP).getExecutionContext(), platformIds()));
    }

    private void printDown(PrintStream out, PlatformsDown down) {
        down.lines().forEach(line -> out.printf("number-audit %s: completed, but %s%n", target.date(), line));
    }

    private List<String> platformIds() {
        return platforms.platforms().stream().map(Platform::id).toList();
    }

    /**
     * Writes metrics.prom beside the results, once the job has ended (so that Spring Batch's job timer is in it), and
     * pushes it when a Pushgateway is configured. The results stand without it: a failure here is a warning.
     *
     * @param exitCode the code this process exits with: 0, or 3 when a platform was down
     * @return whether metrics.prom was written
     */
    private boolean publishMetrics(int exitCode) {
        String exposition;
        try {
            exposition = metrics.exposition(SummaryReport.read(target.results()), exitCode);
            ResultPublication.writeAtomically(target.results().resolve(RunMetrics.FILE), exposition.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            log.warn("Could not write {} into {}: {}", RunMetrics.FILE, target.results(), e.toString());
            return false;
        }
        metrics.push(target.date(), exposition);
        return true;
    }

    /** Keeps the ledger's trail to {@code audit.retention}; a failure here leaves the completed run as it is. */
    private void pruneTrail() {
        try {
            TrailRetention.Pruned pruned = retention.prune(target.date(), properties.retention());
            if (!pruned.nights().isEmpty()) {
                log.info("Deleted the ledger's trail of {} night(s) older than {} days ({} to {}){}", pruned.nights().size(),
                        properties.retention().toDays(), pruned.nights().get(0), pruned.nights().get(pruned.nights().size() - 1),
                        pruned.more() ? "; older ones are left for the next run" : "");
            }
        } catch (DataAccessException e) {
            log.warn("Could not delete the ledger's trail older than {} days ({}); the next run tries again",
                    properties.retention().toDays(), e.getMostSpecificCause().getMessage());
        }
    }

    private long committedRows(JobExecution execution) {
        StepExecution audit = jobRepository.getLastStepExecution(execution.getJobInstance(), AuditJobConfiguration.AUDIT_STEP);
        return audit == null ? 0 : audit.getWriteCount();
    }
}
