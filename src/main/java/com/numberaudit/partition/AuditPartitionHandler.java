package com.numberaudit.partition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.support.AbstractPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.dao.OptimisticLockingFailureException;

import com.numberaudit.audit.AuditPartitionStep;
import com.numberaudit.audit.FailedSteps;
import com.numberaudit.repository.ProcessIdentity;

/**
 * The manager's side of the remote partitions (docs/scale-out-design.md §6): sends one message per partition to the
 * queue, then reads the partitions' executions and claims from the job repository every {@code audit.partition-poll}
 * until none runs. Spring Batch's {@code MessageChannelPartitionHandler} would wait for a killed worker's execution
 * for ever (it stays STARTED) and bound only the whole step, naming nothing; this one gives up on a partition whose
 * worker is gone (silent past {@code audit.worker-lease}, or killed on this host: seen at the next poll; or started
 * with no live claim for {@code audit.worker-lease}) or that no worker took while none was at work for
 * {@code audit.worker-wait}: it fails that partition, keeps late workers out of the unclaimed ones, asks the live
 * workers to stop at their next chunk, waits for them, and throws a {@link PartitionsFailedException} naming the
 * partition, its rows and its worker. The same command resumes the partitions that did not complete, each from its
 * last commit.
 */
public class AuditPartitionHandler extends AbstractPartitionHandler {

    /** Job execution context key: the manager's run lease token, which each worker's fence confirms. */
    public static final String MANAGER_TOKEN = "number-audit.manager-token";

    private static final Logger log = LoggerFactory.getLogger(AuditPartitionHandler.class);

    private final JobRepository jobRepository;
    private final AmqpTemplate amqp;
    private final PartitionClaims claims;
    private final Supplier<String> managerToken;
    private final String queue;
    private final String workerStepName;
    private final Duration poll;
    private final Duration workerWait;
    private final Function<ExecutionContext, String> rows;

    /**
     * @param managerToken   this process's run lease token ({@code RunLease::token})
     * @param workerStepName the step a worker runs for each partition (its {@code StepLocator} name)
     * @param rows           the rows of a partition, from its context, for the messages ("rows 50,000–"); null: unknown
     */
    public AuditPartitionHandler(JobRepository jobRepository, AmqpTemplate amqp, PartitionClaims claims, Supplier<String> managerToken,
                                 String queue, String workerStepName, Duration poll, Duration workerWait, int partitions,
                                 Function<ExecutionContext, String> rows) {
        this.jobRepository = jobRepository;
        this.amqp = amqp;
        this.claims = claims;
        this.managerToken = managerToken;
        this.queue = queue;
        this.workerStepName = workerStepName;
        this.poll = poll;
        this.workerWait = workerWait;
        this.rows = rows;
        setGridSize(partitions);
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution manager, Set<StepExecution> partitions) throws Exception {
        JobExecution job = manager.getJobExecution();
        job.getExecutionContext().putString(MANAGER_TOKEN, managerToken.get());
        jobRepository.updateExecutionContext(job);
        List<StepExecution> ordered = partitions.stream().sorted(Comparator.comparing(AuditPartitionHandler::index)).toList();
        Watch watch = new Watch(job.getId(), ordered);
        try {
            for (StepExecution partition : ordered) {
                PartitionRequest request = new PartitionRequest(job.getId(), partition.getId(), workerStepName,
                        String.valueOf(job.getJobParameters().getLocalDate("date")), rerun(job));
                amqp.convertAndSend(queue, request.toJson());
            }
            log.info("Sent {} partition(s) to queue {}; waiting for workers (audit.role=worker)", ordered.size(), queue);
            return watch.untilNoneRuns(manager);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watch.giveUp("the manager was interrupted");
            throw e;
        } catch (RuntimeException e) {
            // the broker or the repository went away: keep late workers out, stop the others, say what stays undone
            watch.giveUp(e.getMessage());
            throw e;
        } finally {
            try {
                claims.forget(job.getId());
            } catch (RuntimeException e) {
                log.warn("Could not delete the partitions' claims of run {}: {}", job.getId(), e.getMessage());
            }
        }
    }

    /** The partitions of one manager step execution, as last read, and what became of each. */
    private final class Watch {

        private final long jobExecutionId;
        private final Map<Long, StepExecution> partitions = new LinkedHashMap<>();
        private final Map<Long, ProcessIdentity> workers = new HashMap<>();
        /** Partitions the manager gave up on, and why. */
        private final Map<Long, String> failed = new LinkedHashMap<>();
        /** Partitions nobody had claimed when the manager gave up on others: they resume as they are. */
        private final Set<Long> notStarted = new LinkedHashSet<>();
        /** Since when each partition a worker started has been seen without a live claim. */
        private final Map<Long, Instant> unclaimedSince = new HashMap<>();
        private Instant lastWork = Instant.now();
        private long finished;
        private boolean givingUp;

        Watch(long jobExecutionId, List<StepExecution> ordered) {
            this.jobExecutionId = jobExecutionId;
            ordered.forEach(partition -> partitions.put(partition.getId(), partition));
        }

        Set<StepExecution> untilNoneRuns(StepExecution manager) throws InterruptedException {
            while (true) {
                Thread.sleep(poll.toMillis());
                if (!read()) {
                    break;
                }
                if (!givingUp) {
                    String why = manager.isTerminateOnly() ? "the manager was asked to stop" : null;
                    // a partition failed, by the manager or on its worker (another set-up, an error): the night fails,
                    // so the others stop now rather than spend hours of the platforms' quota first
                    boolean anyFailed = failed.keySet().stream().anyMatch(id -> !notStarted.contains(id))
                            || partitions.values().stream().anyMatch(partition -> partition.getStatus() == BatchStatus.FAILED);
                    if (anyFailed || why != null) {
                        giveUp(why);
                    } else {
                        giveUpIfStuck();
                    }
                }
            }
            List<StepExecution> unfinished = partitions.values().stream().filter(p -> p.getStatus() != BatchStatus.COMPLETED).toList();
            if (!unfinished.isEmpty()) {
                throw new PartitionsFailedException(describe());
            }
            return new LinkedHashSet<>(partitions.values());
        }

        /**
         * Reads every partition's execution and claim; fails those whose worker is gone.
         *
         * @return whether a partition still runs
         */
        private boolean read() {
            Map<Long, PartitionClaims.Row> byPartition = claims.ofJob(jobExecutionId).stream()
                    .collect(Collectors.toMap(PartitionClaims.Row::stepExecutionId, row -> row));
            boolean running = false;
            boolean working = false;
            long done = 0;
            for (Long id : partitions.keySet()) {
                StepExecution partition = jobRepository.getStepExecution(id);
                partitions.put(id, partition);
                PartitionClaims.Row claim = byPartition.get(id);
                if (claim != null && !claim.revoked()) {
                    workers.put(id, claim.worker());
                }
                if (!partition.getStatus().isRunning()) {
                    done++;
                    continue;
                }
                running = true;
                if (claim == null || claim.revoked()) {
                    lost(partition);
                    continue;
                }
                unclaimedSince.remove(id);
                working = true;
                if (claims.gone(claim) && claims.revoke(claim)) {
                    String why = "worker " + claim.worker() + " is gone after " + partition.getWriteCount() + " rows committed"
                            + (claim.silentFor().toSeconds() > 1 ? " (unheard for " + claim.silentFor().toSeconds() + " s)" : "");
                    if (fail(id, why)) {
                        log.error("Partition {}: {}", name(partition), why);
                    }
                }
            }
            if (working || done > finished) {
                lastWork = Instant.now();
            }
            finished = done;
            return running;
        }

        /**
         * Fails a partition a worker started (no longer STARTING, which an unclaimed partition waiting in the queue is)
         * that has had no live claim for longer than {@code audit.worker-lease}: its worker ended, or lost its claim,
         * without writing how the partition ended. Not at once: the claims are read before the executions, so a worker
         * that claims and starts a partition in between shows so for a poll.
         */
        private void lost(StepExecution partition) {
            if (partition.getStatus() == BatchStatus.STARTING) {
                return;
            }
            Instant since = unclaimedSince.computeIfAbsent(partition.getId(), id -> Instant.now());
            Duration unclaimed = Duration.between(since, Instant.now());
            if (unclaimed.compareTo(claims.workerLease()) > 0) {
                ProcessIdentity worker = workers.get(partition.getId());
                String why = (worker == null ? "its worker" : "worker " + worker) + " is gone after " + partition.getWriteCount()
                        + " rows committed (" + partition.getStatus() + " with no live claim for longer than audit.worker-lease, "
                        + claims.workerLease().toSeconds() + " s: the worker ended without recording how the partition ended)";
                if (fail(partition.getId(), why)) {
                    log.error("Partition {}: {}", name(partition), why);
                }
            }
        }

        /** Unclaimed partitions while no worker has been at work for {@code audit.worker-wait}: nobody serves the queue. */
        private void giveUpIfStuck() {
            boolean unclaimed = partitions.values().stream().anyMatch(p -> p.getStatus() == BatchStatus.STARTING);
            Duration idle = Duration.between(lastWork, Instant.now());
            if (unclaimed && idle.compareTo(workerWait) > 0) {
                giveUp("no worker took them within " + workerWait.toSeconds() + " s (audit.worker-wait); start workers with "
                        + "--audit.role=worker on queue " + queue);
            }
        }

        /**
         * Keeps late workers out of the partitions nobody claimed (each failed with {@code why}, or as not started)
         * and asks the live workers to stop at their next chunk.
         */
        void giveUp(String why) {
            givingUp = true;
            for (StepExecution partition : partitions.values()) {
                if (partition.getStatus() == BatchStatus.STARTING
                        && claims.tombstone(partition.getId(), jobExecutionId, partition.getStepName())
                        && fail(partition.getId(), why == null ? "not started: the run gave up on another partition" : why)
                        && why == null) {
                    notStarted.add(partition.getId());
                }
            }
            int asked = claims.requestStop(jobExecutionId);
            if (asked > 0) {
                log.warn("Asked {} worker(s) to stop their partitions at the next chunk", asked);
            }
        }

        /**
         * Marks a partition FAILED for its worker, which cannot, unless it ended meanwhile: re-read, and written only if
         * unchanged since (the repository's version check), so a COMPLETED partition stays COMPLETED and an update racing
         * the worker's own loses to it.
         *
         * @return whether the partition was failed
         */
        private boolean fail(long id, String why) {
            try {
                StepExecution partition = jobRepository.getStepExecution(id);
                if (!partition.getStatus().isRunning()) {
                    partitions.put(id, partition);
                    log.warn("Partition {} ended {} before the manager could fail it: it stays so", name(partition), partition.getStatus());
                    return false;
                }
                FailedSteps.record(jobRepository, partition, why);
                // only once written: a FAILED the repository does not hold would stop the other partitions for nothing
                partitions.put(id, partition);
                failed.put(id, why);
                return true;
            } catch (OptimisticLockingFailureException e) {
                // its worker wrote it meanwhile: the next poll reads what it wrote (a revoked claim's fence ends it FAILED)
                partitions.put(id, jobRepository.getStepExecution(id));
                log.warn("Partition {} changed while it was failed: it stays as its worker wrote it", id);
                return false;
            }
        }

        /** What the operator reads: each partition not completed, why, and what became of the others. */
        private String describe() {
            List<String> reasons = new ArrayList<>();
            List<String> others = new ArrayList<>();
            int of = partitions.size();
            for (StepExecution partition : partitions.values()) {
                String name = name(partition);
                String range = rows == null ? null : rows.apply(partition.getExecutionContext());
                String label = "partition " + name + " of " + of + (range == null ? "" : " (" + range + ")");
                String why = failed.get(partition.getId());
                ProcessIdentity worker = workers.get(partition.getId());
                if (notStarted.contains(partition.getId())) {
                    others.add(name + " not started");
                } else if (why != null) {
                    reasons.add(label + ": " + why);
                } else if (partition.getStatus() == BatchStatus.FAILED) {
                    reasons.add(label + " failed on its worker" + (worker == null ? "" : " (" + worker + ")") + ": "
                            + firstLine(partition.getExitStatus().getExitDescription()));
                } else if (partition.getStatus() == BatchStatus.COMPLETED) {
                    others.add(name + " completed");
                } else {
                    others.add(name + " " + partition.getStatus().toString().toLowerCase() + " and resumes");
                }
            }
            if (reasons.isEmpty()) {
                reasons.add("partitions stopped before they completed");
            }
            return String.join("; ", reasons) + (others.isEmpty() ? "" : "; " + String.join(", ", others))
                    + "; run the same command again to resume the partitions not completed";
        }
    }

    /** The rows of one of the audit's partitions, as its context says: "rows 0–49,999", "rows 50,000–" (open-ended). */
    static String rows(ExecutionContext partition) {
        if (!partition.containsKey(AuditPartitionStep.FROM)) {
            return null;
        }
        long from = partition.getLong(AuditPartitionStep.FROM);
        long to = partition.getLong(AuditPartitionStep.TO, Long.MAX_VALUE);
        return String.format(Locale.ROOT, "rows %,d–%s", from, to == Long.MAX_VALUE ? "" : String.format(Locale.ROOT, "%,d", to - 1));
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "no reason recorded";
        }
        String line = text.strip().lines().findFirst().orElse(text);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /** {@code audit-partition:p3} → {@code p3}. */
    static String name(StepExecution partition) {
        String step = partition.getStepName();
        return step.substring(step.lastIndexOf(':') + 1);
    }

    /** The partition's number from its name, so that p10 comes after p9. */
    private static long index(StepExecution partition) {
        String name = name(partition).replaceAll("\\D", "");
        return name.isEmpty() ? partition.getId() : Long.parseLong(name);
    }

    private static long rerun(JobExecution job) {
        Long rerun = job.getJobParameters().getLong("rerun");
        return rerun == null ? 0 : rerun;
    }
}
