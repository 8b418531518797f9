package com.numberaudit.repository;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.numberaudit.AuditProperties;

/**
 * One live run per business date, on any database the job repository lives in: a row of
 * {@code audit_run_lease} per date names the process auditing it (host, pid), which renews it
 * every sixth of {@code audit.run-lease} (at most once a second) while it lives and deletes it when
 * it ends. Another process for the same date is refused while the row is renewed, and takes the
 * run over once the row has gone silent for longer than the lease, or at once when the holder's
 * pid, in this process's pid space ({@link ProcessSpace}), is gone (a {@code kill -9}).
 * <p>
 * A row rather than a database lock: H2 has no lock that outlives a statement's transaction, and
 * PostgreSQL's advisory locks belong to one pooled connection; a row works the same on both, and
 * names its holder for the operator. Its times are the database's clock, so the hosts' clocks do
 * not matter; only the heartbeat, outside any transaction, stamps them.
 * <p>
 * The lease is also a fence: the end of each chunk's write confirms it by token inside the
 * chunk's transaction ({@link #confirmHeld()}) and fails the chunk if another process took it
 * over. A process that stalled past its lease therefore cannot commit a chunk (nor publish) after
 * the run was taken from it, and a takeover cannot land between the confirmation and the commit.
 */
@Component
public class RunLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunLease.class);

    /** The process that holds a date, as its row names it. */
    public record Holder(String host, long pid, OffsetDateTime acquiredAt, Duration silentFor) {

        @Override
        public String toString() {
            return "host " + host + " pid " + pid;
        }
    }

    private record Row(String token, String host, long pid, String pidSpace, Long processStart, OffsetDateTime acquiredAt,
                       OffsetDateTime renewedAt, long renewals) {
    }

    private final JdbcClient jdbc;
    private final Duration lease;
    private final String token = UUID.randomUUID().toString();
    private final ProcessIdentity self = ProcessIdentity.current();
    private volatile LocalDate held;
    private ScheduledExecutorService heartbeat;

    public RunLease(JdbcClient jdbc, AuditProperties properties) {
        this.jdbc = jdbc;
        this.lease = properties.runLease();
    }

    /**
     * Takes the date for this process, or tells who holds it.
     *
     * @return empty when this process now holds {@code date}; otherwise the live process that does
     */
    public synchronized Optional<Holder> acquire(LocalDate date) {
        if (held != null) {
            throw new IllegalStateException("this process holds the run of " + held + " already");
        }
        while (true) {
            try {
                jdbc.sql("""
                        INSERT INTO audit_run_lease (business_date, token, host, pid, pid_space, process_start, acquired_at, renewed_at,
                        renewals) VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)""")
                        .params(date, token, self.host(), self.pid(), self.pidSpace(), self.processStart()).update();
                return holding(date);
            } catch (DuplicateKeyException taken) {
                // held, or left behind by a process that died: look at it
            }
            Optional<Row> row = row(date);
            if (row.isEmpty()) {
                continue; // released between the two statements
            }
            Row current = row.get();
            Holder holder = holder(current);
            if (!gone(current, holder)) {
                return Optional.of(holder);
            }
            int taken = jdbc.sql("""
                    UPDATE audit_run_lease SET token = ?, host = ?, pid = ?, pid_space = ?, process_start = ?, acquired_at = CURRENT_TIMESTAMP,
                    renewed_at = CURRENT_TIMESTAMP, renewals = 0 WHERE business_date = ? AND token = ? AND renewals = ?""")
                    .params(token, self.host(), self.pid(), self.pidSpace(), self.processStart(), date, current.token(), current.renewals())
                    .update();
            if (taken == 1) {
                log.warn("Taking over the run of {} from {}, which is gone (last heard {} s ago)", date, holder,
                        holder.silentFor().toSeconds());
                return holding(date);
            }
            // renewed or taken by another process meanwhile: look again
        }
    }

    /** The live process auditing {@code date}, if another one is; takes nothing. */
    public Optional<Holder> liveHolder(LocalDate date) {
        Optional<Row> row = row(date).filter(other -> !other.token().equals(token));
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Holder holder = holder(row.get());
        return gone(row.get(), holder) ? Optional.empty() : Optional.of(holder);
    }

    /**
     * Fails the caller's transaction (a chunk's commit, the publication) if this process no longer
     * holds the date; else locks the date's row until that commit, so no takeover lands in it. It
     * counts a renewal, which a takeover under way then finds changed, but leaves the time of the
     * last renewal to the heartbeat: inside a transaction the database's clock reads the
     * transaction's start.
     */
    public void confirmHeld() {
        LocalDate date = held;
        if (date == null) {
            throw new IllegalStateException("this process holds no run");
        }
        int confirmed = jdbc.sql("UPDATE audit_run_lease SET renewals = renewals + 1 WHERE business_date = ? AND token = ?")
                .params(date, token).update();
        if (confirmed == 0) {
            throw new IllegalStateException("this process no longer holds the run of " + date
                    + ": another number-audit process took it over (its lease of " + lease.toSeconds() + " s ran out)");
        }
    }

    /**
     * This process's token in its lease's row: a partitioned run's workers confirm it, as the manager's, in each of
     * their chunks (partition.PartitionClaim's fence), so that nothing commits once the manager lost the date.
     */
    public String token() {
        return token;
    }

    /** How long a silent holder keeps its date. */
    public Duration duration() {
        return lease;
    }

    @Override
    public synchronized void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            heartbeat = null;
        }
        LocalDate date = held;
        held = null;
        if (date != null) {
            try {
                jdbc.sql("DELETE FROM audit_run_lease WHERE business_date = ? AND token = ?").params(date, token).update();
            } catch (DataAccessException e) {
                log.warn("Could not release the run of {} ({}); another process takes it over {} s after its last renewal",
                        date, e.getMostSpecificCause().getMessage(), lease.toSeconds());
            }
        }
    }

    private Optional<Holder> holding(LocalDate date) {
        held = date;
        long every = Math.max(1_000, lease.toMillis() / 6);
        heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "run-lease");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(() -> beat(date), every, every, TimeUnit.MILLISECONDS);
        return Optional.empty();
    }

    /** Outside any transaction, so {@code CURRENT_TIMESTAMP} is now. */
    private void beat(LocalDate date) {
        try {
            int renewed = jdbc.sql("UPDATE audit_run_lease SET renewed_at = CURRENT_TIMESTAMP, renewals = renewals + 1"
                    + " WHERE business_date = ? AND token = ?").params(date, token).update();
            if (renewed == 0) {
                log.error("The run of {} was taken over by another process; this one can commit nothing more", date);
                throw new IllegalStateException("lease lost"); // ends the heartbeat's schedule
            }
        } catch (DataAccessException e) {
            log.warn("Could not renew the run of {}: {}", date, e.getMostSpecificCause().getMessage());
        }
    }

    private Optional<Row> row(LocalDate date) {
        return jdbc.sql("SELECT token, host, pid, pid_space, process_start, acquired_at, renewed_at, renewals FROM audit_run_lease"
                        + " WHERE business_date = ?")
                .param(date)
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getObject(5, Long.class), rs.getObject(6, OffsetDateTime.class), rs.getObject(7, OffsetDateTime.class),
                        rs.getLong(8)))
                .optional();
    }

    private Holder holder(Row row) {
        OffsetDateTime now = jdbc.sql("SELECT CURRENT_TIMESTAMP").query(OffsetDateTime.class).single();
        return new Holder(row.host(), row.pid(), row.acquiredAt(), Duration.between(row.renewedAt(), now));
    }

    /**
     * Silent for longer than the lease, or in this process's pid space with its process gone or its pid now another
     * process's ({@link ProcessIdentity#endedHere()}). A holder elsewhere is judged by the lease alone.
     */
    private boolean gone(Row row, Holder holder) {
        return holder.silentFor().compareTo(lease) > 0
                || new ProcessIdentity(row.host(), row.pid(), row.pidSpace(), row.processStart()).endedHere();
    }
}
