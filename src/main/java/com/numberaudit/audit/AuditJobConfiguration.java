package com.numberaudit.audit;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import com.numberaudit.AuditProperties;
import com.numberaudit.ledger.Escalations;
import com.numberaudit.ledger.HeldSet;
import com.numberaudit.ledger.Night;
import com.numberaudit.ledger.NightComparison;
import com.numberaudit.ledger.OpenTickets;
import com.numberaudit.partition.RemotePartitioning;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;
import com.numberaudit.platform.RequestMeters;
import com.numberaudit.report.AuditTotals;
import com.numberaudit.repository.RunLease;
import com.numberaudit.report.ReportHtml;
import com.numberaudit.report.SummaryReport;

/**
 * The nightly audit, top to bottom: step {@code audit} reads the pending numbers (then, with
 * {@code audit.reaudit}, the numbers the ledger holds from earlier nights), asks every enabled
 * platform, and writes the four result files into the run's staging folder and what it found
 * into the ledger, in each chunk's transaction; step
 * {@code report} writes escalations.csv (the numbers held too long), the platforms' notices (the ids still bound on
 * each) and summary.json there and
 * publishes the folder as {@code <output>/<date>/}.
 * <p>
 * Where the processor went: the card's shape is reader → processor → writer, but here the reader
 * starts each row's platform checks as it reads (up to {@code audit.in-flight} rows ahead, across
 * chunk boundaries) and the writer awaits the chunk's verdicts. A processor would ask the
 * platforms only for the rows of the chunk under way and drain the platforms' pipes at every
 * chunk boundary. Measured with bench/run.sh's latency scenario (200 ms per request, 200,000
 * numbers, 16 platforms): 27.3 s for an ideal 20 s with checks only for the chunk under way
 * ({@code --audit.in-flight=1}), 21.8 s with the default read-ahead (docs/performance.md).
 */
@Configuration(proxyBeanMethods = false)
public class AuditJobConfiguration {

    public static final String JOB_NAME = "numberAudit";
    static final String AUDIT_STEP = "audit";
    static final String REPORT_STEP = "report";
    /** A partitioned night's first step: polls the open tickets once, for every partition ({@link TicketSnapshot}). */
    static final String TICKETS_STEP = "tickets";
    /**
     * How often at most a partitioned night's manager reads what its partitions committed, for its progress line: each
     * read looks up every partition's last execution in the job repository.
     */
    private static final Duration MANAGER_PROGRESS_TICK = Duration.ofSeconds(5);
    /** Report step execution context key: how many numbers escalations.csv lists. */
    static final String ESCALATED = "number-audit.escalated";
    /** Report step execution context key: per platform with a notice, how many ids it lists. */
    static final String NOTICES = "number-audit.notices";
    /** Job execution context key of the run's {@link RunFingerprint}. */
    static final String FINGERPRINT = "number-audit.fingerprint";
    /** Job execution context key of a partitioned run: its input folder or file (absolute), for the partitions to read. */
    public static final String INPUT = "number-audit.input";

    @Bean
    @Conditional(RemotePartitioning.NotWorker.class) // a worker has no night of its own: no input, date, job or run
    AuditTarget auditTarget(AuditProperties properties) {
        return AuditTarget.of(properties);
    }

    @Bean
    @Conditional(RemotePartitioning.NotWorker.class) // a worker has no night of its own: no input, date, job or run
    List<InputFile> inputFiles(AuditProperties properties) {
        return InputFile.resolve(properties.input());
    }

    @Bean
    @Conditional(RemotePartitioning.NotWorker.class) // a worker has no night of its own: no input, date, job or run
    RunFingerprint runFingerprint(AuditTarget target, List<InputFile> inputFiles, PlatformRegistry platforms, AuditProperties properties) {
        return RunFingerprint.of(target, inputFiles, platforms).withPartitions(properties.partitions());
    }

    @Bean
    @Conditional(RemotePartitioning.NotWorker.class) // a worker has no night of its own: no input, date, job or run
    Job numberAudit(JobRepository jobRepository, Step ticketsStep, Step auditStep, Step reportStep, RunFingerprint fingerprint,
                    AuditProperties properties, HeldSet heldSet) {
        JobBuilder job = new JobBuilder(JOB_NAME, jobRepository);
        return (properties.partitions() > 1 ? job.start(ticketsStep).next(auditStep) : job.start(auditStep))
                .next(reportStep)
                .listener(new JobExecutionListener() {
                    @Override
                    public void beforeJob(JobExecution jobExecution) {
                        RunFingerprint identity = fingerprint.withHeldSet(properties.reaudit(),
                                heldSet.summary(AuditRun.nightOf(jobExecution.getJobParameters())));
                        jobExecution.getExecutionContext().put(FINGERPRINT, new LinkedHashMap<>(identity.entries()));
                        if (properties.partitions() > 1) {
                            jobExecution.getExecutionContext().putString(INPUT, properties.input().toAbsolutePath().normalize().toString());
                        }
                        jobRepository.updateExecutionContext(jobExecution);
                    }
                })
                .build();
    }

    /**
     * With {@code audit.partitions} 1 (the single node) the chunk step over all the night's rows; with more, the same
     * step run as that many partitions ({@link AuditPartitionStep}) by the application's {@link PartitionHandler}
     * (remote workers; docs/scale-out-design.md), their totals added up ({@link PartitionTotalsAggregator}).
     */
    @Bean
    @Conditional(RemotePartitioning.NotWorker.class) // a worker has no night of its own: no input, date, job or run
    Step auditStep(AuditStepFactory steps, AuditProperties properties, AuditTarget target, List<InputFile> inputFiles, RunLease runLease,
                   JdbcClient jdbcClient, JobRepository jobRepository, HeldSet heldSet, PlatformRegistry platforms,
                   ObjectProvider<PartitionHandler> partitionHandler, @Qualifier("auditPartitionStep") ObjectProvider<Step> auditPartitionStep,
                   StopRequest stop) {
        if (properties.partitions() == 1) {
            return steps.build(AUDIT_STEP, RowRange.ALL, inputFiles, target.date(), target.staging(), true, runLease::confirmHeld,
                    TicketAnswers.polled(() -> OpenTickets.load(jdbcClient)));
        }
        PartitionHandler handler = partitionHandler.getIfAvailable();
        if (handler == null) {
            throw new IllegalStateException("audit.partitions is " + properties.partitions() + " but nothing runs partitions here "
                    + "(no PartitionHandler)");
        }
        RowRangePartitioner partitioner = new RowRangePartitioner(inputFiles, heldSet, properties.reaudit(), properties.partitions());
        List<String> noPlatforms = List.of(); // the verdicts are enough for a progress line
        ProgressLog progress = new ProgressLog("progress of " + properties.partitions() + " partitions", properties.progressInterval(),
                min(properties.progressInterval(), MANAGER_PROGRESS_TICK), manager -> PartitionTotalsAggregator.committed(jobRepository, manager.getJobExecution().getJobInstance(),
                noPlatforms, properties.partitions(), TICKETS_STEP), partitioner::expectedRows);
        return new StepBuilder(AUDIT_STEP, jobRepository)
                .listener(partitioner) // before the progress line, which gives the partitioner's estimate as the night's rows
                .listener(progress)
                // SIGTERM to the manager: its partition handler asks the workers to stop and keeps late ones out
                .listener(stop)
                .partitioner(AuditPartitionStep.NAME, partitioner)
                .step(auditPartitionStep.getObject())
                .partitionHandler(handler)
                .gridSize(properties.partitions())
                .aggregator(new PartitionTotalsAggregator(jobRepository, platformIds(platforms), properties.partitions(), TICKETS_STEP))
                .build();
    }

    /**
     * The step a partition runs, in whichever process runs it. Fenced by the process's {@link PartitionFence} when
     * there is one (a worker's partition claim), else by this process's run lease.
     */
    @Bean
    Step auditPartitionStep(AuditStepFactory steps, AuditProperties properties, ObjectProvider<PartitionFence> fence,
                            ObjectProvider<RunLease> runLease, JdbcClient jdbcClient, PlatformRegistry platforms, HeldSet heldSet,
                            JobRepository jobRepository) {
        return new AuditPartitionStep(steps, properties, fence.getIfAvailable(() -> partition -> runLease.getObject()::confirmHeld),
                (dispatcher, night) -> TicketSnapshot.read(jdbcClient, night, dispatcher), platforms, heldSet, jobRepository);
    }

    /**
     * A partitioned night's step {@code tickets}: polls the tickets open in the ledger once, as the single node's audit
     * step does before its first row, and keeps them and their answers in the night's {@link TicketSnapshot} for every
     * partition; its requests are counted in its own totals, which the aggregator adds. A restart polls again (as the
     * single node's restarted audit step does), so the partitions still to run never take an answer the platform gave
     * before the interruption, which may be a day old by the time the night is resumed; the summary then counts the
     * last poll's requests only.
     */
    @Bean
    @Conditional(RemotePartitioning.NotWorker.class) // the manager polls the tickets once for every partition
    Step ticketsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, AuditProperties properties,
                     PlatformRegistry platforms, StopRequest stop, RunLease runLease, JdbcClient jdbcClient, JdbcTemplate jdbcTemplate,
                     RequestMeters requestMeters) {
        return new StepBuilder(TICKETS_STEP, jobRepository)
                .tasklet((contribution, chunkContext) -> {
                    StepExecution step = contribution.getStepExecution();
                    Night night = AuditRun.nightOf(step.getJobParameters());
                    AuditTotals polls = new AuditTotals(platformIds(platforms), requestMeters);
                    BindingCheckDispatcher dispatcher = new BindingCheckDispatcher(platforms, night.date(), properties.deadline(),
                            stop::requested);
                    dispatcher.collectTickets(OpenTickets.load(jdbcClient));
                    TicketSnapshot.write(jdbcTemplate, night, dispatcher);
                    polls.update(step.getExecutionContext());
                    runLease.confirmHeld();
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    @Conditional(RemotePartitioning.NotWorker.class) // a worker has no night of its own: no input, date, job or run
    Step reportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, AuditProperties properties,
                    AuditTarget target, List<InputFile> inputFiles, PlatformRegistry platforms, RunLease runLease, Escalations escalations,
                    NightComparison nightComparison, RequestMeters requestMeters) {
        return new StepBuilder(REPORT_STEP, jobRepository)
                .tasklet((contribution, chunkContext) -> {
                    runLease.confirmHeld();
                    JobExecution job = contribution.getStepExecution().getJobExecution();
                    long rerun = AuditRun.rerunOf(job.getJobParameters());
                    RunFingerprint fingerprint = AuditRun.recorded(job);
                    StepExecution audit = jobRepository.getLastStepExecution(job.getJobInstance(), AUDIT_STEP);
                    AuditTotals totals = AuditTotals.from(audit.getExecutionContext(), platformIds(platforms));
                    Night night = AuditRun.nightOf(job.getJobParameters());
                    nightComparison.record(night, totals.nightCounts());
                    if (!Files.isDirectory(target.staging())) {
                        if (SummaryReport.isOf(target.results(), fingerprint.digest(), rerun)) {
                            ResultPublication.discardReplaced(target);
                            return RepeatStatus.FINISHED; // published just before a crash, whose restart brought us here
                        }
                        if (properties.partitions() > 1) {
                            throw PartitionOutputs.partsNotHere(target.staging()); // workers create it, not the manager
                        }
                        throw new IllegalStateException("nothing to publish: " + target.staging() + " is missing");
                    }
                    if (properties.partitions() > 1) {
                        // before anything reads bound.csv
                        PartitionOutputs.merge(target.staging(),
                                PartitionOutputs.committed(jobRepository, job.getJobInstance(), properties.partitions()));
                    }
                    for (InputFile file : inputFiles) {
                        if (!file.unchanged()) {
                            throw new IllegalStateException("input " + file.name() + " changed while it was audited, so these results "
                                    + "may miss its rows and are not published; audit the date again with --audit.rerun=true");
                        }
                    }
                    long escalated;
                    List<Escalations.Escalation> heldLongest = new ArrayList<>();
                    try (Stream<Escalations.Escalation> due = escalations.due(target.date(), properties.escalateAfter())) {
                        escalated = ResultPublication.writeCsv(target.staging().resolve(Escalations.FILE), "number,held_since,platforms,reasons",
                                due.peek(held -> {
                                    if (heldLongest.size() < ReportHtml.LONGEST_HELD) {
                                        heldLongest.add(held); // due() lists the longest held first
                                    }
                                }).map(held -> new String[] {held.number(), held.heldSince().toString(), held.platforms(), held.reasons()}));
                    }
                    contribution.getStepExecution().getExecutionContext().putLong(ESCALATED, escalated);
                    contribution.getStepExecution().getExecutionContext().put(NOTICES,
                            ResultPublication.writeNotices(target, platforms.platforms()));
                    // the request counters read what the summary says, also when the audit step ran in an earlier process
                    totals.requestsByPlatform().forEach((id, committed) -> requestMeters.of(id).settle(committed));
                    SummaryReport summary = SummaryReport.of(platforms.demo(), target.date(), rerun, span(jobRepository, job),
                            fingerprint.digest(), inputFiles.stream().map(InputFile::name).toList(), properties.platforms(), totals,
                            requestMeters::of, escalated);
                    ResultPublication.write(target.staging().resolve(SummaryReport.FILE), summary.toJson());
                    ResultPublication.write(target.staging().resolve(ReportHtml.FILE), ReportHtml.render(summary, nightComparison.compare(night), heldLongest));
                    ResultPublication.publish(target);
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .build();
    }

    /** From the start of the run's first execution (a resumed run began before its interruption) to now. */
    private static SummaryReport.Span span(JobRepository jobRepository, JobExecution job) {
        List<JobExecution> executions = jobRepository.getJobExecutions(job.getJobInstance());
        LocalDateTime started = executions.stream().map(JobExecution::getStartTime).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(job.getStartTime());
        // Spring Batch keeps its times in the JVM's zone, without one
        return new SummaryReport.Span(started.atZone(ZoneId.systemDefault()).toInstant(), Instant.now(), executions.size());
    }

    private static List<String> platformIds(PlatformRegistry platforms) {
        return platforms.platforms().stream().map(Platform::id).toList();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
