package com.numberaudit.partition;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.numberaudit.repository.ProcessIdentity;

/**
 * The table {@code audit_partition_claim} (V7): which worker runs which partition's step execution, and whether it
 * is still there. Workers {@link #claim claim} (a duplicate key: someone else has it); the manager reads a job's
 * claims, {@link #revoke revokes} a gone worker's, {@link #tombstone tombstones} partitions nobody claimed and
 * {@link #requestStop asks} live workers to stop. PostgreSQL only (ConfigurationCheck refuses remote partitions on
 * anything else): {@code RETURNING} and {@code FOR SHARE}.
 */
public final class PartitionClaims {

    /** The token of a claim the manager took away, or of a partition it gave up before anyone claimed it. */
    public static final String REVOKED = "revoked";

    /**
     * A claim as the manager reads it.
     *
     * @param silentFor since its last renewal, on the database's clock
     */
    public record Row(long stepExecutionId, long jobExecutionId, String partitionName, String token, ProcessIdentity worker,
                      OffsetDateTime acquiredAt, Duration silentFor, long renewals, boolean stopRequested) {

        public boolean revoked() {
            return REVOKED.equals(token);
        }
    }

    private final JdbcClient jdbc;
    private final Duration workerLease;

    public PartitionClaims(JdbcClient jdbc, Duration workerLease) {
        this.jdbc = jdbc;
        this.workerLease = workerLease;
    }

    /** How long a claim may go unrenewed, and a started partition unclaimed, before its worker counts as gone. */
    public Duration workerLease() {
        return workerLease;
    }

    /**
     * Claims a partition for this process, renewed from now on every sixth of {@code audit.worker-lease} (at least a
     * second) until the claim is closed.
     *
     * @param onStopRequested run once when the manager asks this worker to stop (or took the claim away)
     * @return empty when another worker claimed it, or the manager gave it up
     */
    public Optional<PartitionClaim> claim(long stepExecutionId, long jobExecutionId, String partitionName, Runnable onStopRequested) {
        String token = UUID.randomUUID().toString();
        if (!insert(stepExecutionId, jobExecutionId, partitionName, token, false)) {
            return Optional.empty();
        }
        return Optional.of(new PartitionClaim(jdbc, stepExecutionId, token, workerLease, onStopRequested));
    }

    /** The claims of a job execution's partitions, with how long each has been silent. */
    public List<Row> ofJob(long jobExecutionId) {
        OffsetDateTime now = jdbc.sql("SELECT CURRENT_TIMESTAMP").query(OffsetDateTime.class).single();
        return jdbc.sql("""
                        SELECT step_execution_id, job_execution_id, partition_name, token, host, pid, pid_space, process_start, acquired_at,
                        renewed_at, renewals, stop_requested FROM audit_partition_claim WHERE job_execution_id = ? ORDER BY step_execution_id""")
                .param(jobExecutionId)
                .query((rs, n) -> new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        new ProcessIdentity(rs.getString(5), rs.getLong(6), rs.getString(7), rs.getObject(8, Long.class)),
                        rs.getObject(9, OffsetDateTime.class), Duration.between(rs.getObject(10, OffsetDateTime.class), now), rs.getLong(11),
                        rs.getBoolean(12)))
                .list();
    }

    /**
     * A live claim's worker is gone: unheard for longer than {@code audit.worker-lease}, or, in this process's pid
     * space, its process ended (a {@code kill -9} on this host is seen at once).
     */
    public boolean gone(Row claim) {
        return !claim.revoked() && (claim.silentFor().compareTo(workerLease) > 0 || claim.worker().endedHere());
    }

    /**
     * Takes a gone worker's claim away, if it is still as read (same token, no renewal since): its fence then fails
     * any chunk it might still commit.
     *
     * @return false when the worker renewed it meanwhile (alive after all) or it is gone
     */
    public boolean revoke(Row claim) {
        return jdbc.sql("""
                        UPDATE audit_partition_claim SET token = ?, stop_requested = TRUE
                        WHERE step_execution_id = ? AND token = ? AND renewals = ?""")
                .params(REVOKED, claim.stepExecutionId(), claim.token(), claim.renewals()).update() == 1;
    }

    /**
     * Gives up an unclaimed partition: no worker may claim it from now on.
     *
     * @return false when a worker claimed it first
     */
    public boolean tombstone(long stepExecutionId, long jobExecutionId, String partitionName) {
        return insert(stepExecutionId, jobExecutionId, partitionName, REVOKED, true);
    }

    /** Asks every worker of the job execution to stop its partition at the next chunk. */
    public int requestStop(long jobExecutionId) {
        return jdbc.sql("UPDATE audit_partition_claim SET stop_requested = TRUE WHERE job_execution_id = ? AND token <> ?")
                .params(jobExecutionId, REVOKED).update();
    }

    /** Forgets the claims of a job execution that has ended (the tombstones included). */
    public int forget(long jobExecutionId) {
        return jdbc.sql("DELETE FROM audit_partition_claim WHERE job_execution_id = ?").param(jobExecutionId).update();
    }

    private boolean insert(long stepExecutionId, long jobExecutionId, String partitionName, String token, boolean stopRequested) {
        ProcessIdentity self = ProcessIdentity.current();
        try {
            jdbc.sql("""
                            INSERT INTO audit_partition_claim (step_execution_id, job_execution_id, partition_name, token, host, pid, pid_space,
                            process_start, acquired_at, renewed_at, renewals, stop_requested)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, ?)""")
                    .params(stepExecutionId, jobExecutionId, partitionName, token, self.host(), self.pid(), self.pidSpace(),
                            self.processStart(), stopRequested)
                    .update();
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }
}
