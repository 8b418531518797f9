package com.numberaudit.partition;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A worker's claim of one partition, held from {@link PartitionClaims#claim} until {@link #close()}: a heartbeat
 * renews it every sixth of {@code audit.worker-lease} (at least a second, outside any transaction, so the
 * database's clock is now) and reads whether the manager asked for a stop. Closing deletes it.
 */
public final class PartitionClaim implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionClaim.class);

    private final JdbcClient jdbc;
    private final long stepExecutionId;
    private final String token;
    private final Runnable onStopRequested;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final ScheduledExecutorService heartbeat;

    PartitionClaim(JdbcClient jdbc, long stepExecutionId, String token, Duration workerLease, Runnable onStopRequested) {
        this.jdbc = jdbc;
        this.stepExecutionId = stepExecutionId;
        this.token = token;
        this.onStopRequested = onStopRequested;
        long every = Math.max(1_000, workerLease.toMillis() / 6);
        heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "partition-claim");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    public long stepExecutionId() {
        return stepExecutionId;
    }

    /**
     * Renews the claim; the manager's stop request (or a revoked claim: no row of this token) stops the partition at
     * its next chunk.
     *
     * @return whether the manager asked this worker to stop
     */
    boolean beat() {
        try {
            List<Boolean> stop = jdbc.sql("""
                            UPDATE audit_partition_claim SET renewed_at = CURRENT_TIMESTAMP, renewals = renewals + 1
                            WHERE step_execution_id = ? AND token = ? RETURNING stop_requested""")
                    .params(stepExecutionId, token).query(Boolean.class).list();
            if (stop.isEmpty() || stop.get(0)) {
                if (stopRequested.compareAndSet(false, true)) {
                    log.warn("The manager {} partition {}: stopping it at the next chunk", stop.isEmpty() ? "revoked the claim of"
                            : "asked to stop", stepExecutionId);
                    onStopRequested.run();
                }
                return true;
            }
            return false;
        } catch (DataAccessException e) {
            log.warn("Could not renew the claim of partition {}: {}", stepExecutionId, e.getMostSpecificCause().getMessage());
            return stopRequested.get();
        }
    }

    /**
     * The worker's fence, run last in each chunk's transaction: the manager still holds the date ({@code FOR SHARE} on
     * its run lease's row, so no takeover lands before this commit, without serialising the workers) and this claim is
     * still this worker's (a renewal counted, so a revoke under way finds it changed). Either missing fails the chunk:
     * a worker the manager gave up on commits nothing more.
     *
     * @param managerToken the manager's {@link com.numberaudit.repository.RunLease#token()}, from the job's context
     */
    public Runnable fence(LocalDate date, String managerToken) {
        return () -> {
            List<Integer> lease = jdbc.sql("SELECT 1 FROM audit_run_lease WHERE business_date = ? AND token = ? FOR SHARE")
                    .params(date, managerToken).query(Integer.class).list();
            if (lease.isEmpty()) {
                throw new IllegalStateException("the manager no longer holds the run of " + date
                        + " (it ended, or another process took the date over): this partition commits nothing more");
            }
            int confirmed = jdbc.sql("UPDATE audit_partition_claim SET renewals = renewals + 1 WHERE step_execution_id = ? AND token = ?")
                    .params(stepExecutionId, token).update();
            if (confirmed == 0) {
                throw new IllegalStateException("the manager revoked this worker's claim of partition " + stepExecutionId
                        + " (it found the worker gone): this partition commits nothing more");
            }
        };
    }

    /** Stops renewing and deletes the claim (a revoked one stays, for the manager). */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            jdbc.sql("DELETE FROM audit_partition_claim WHERE step_execution_id = ? AND token = ?").params(stepExecutionId, token).update();
        } catch (DataAccessException e) {
            log.warn("Could not release the claim of partition {} ({}); the manager finds it silent", stepExecutionId,
                    e.getMostSpecificCause().getMessage());
        }
    }
}
