package com.numberaudit.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.numberaudit.repository.ProcessIdentity;
import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;

/**
 * Partition claims on a real PostgreSQL, as a manager and its workers use them: one worker per partition, a heartbeat
 * that carries the manager's stop request, a revoke that loses to a renewal, tombstones that keep late workers out,
 * a worker killed with {@code kill -9} seen gone at once, and the fence that fails a chunk of a worker given up.
 */
class PartitionClaimsTest {

    private static final LocalDate DATE = LocalDate.of(2026, 11, 28);
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path work;

    private ScratchRepository repository;
    private JdbcClient jdbc;
    private PartitionClaims claims;

    @BeforeEach
    void open() {
        repository = RepositoryDatabase.POSTGRESQL.scratch(work);
        Flyway.configure().dataSource(repository.dataSource()).load().migrate();
        jdbc = JdbcClient.create(repository.dataSource());
        claims = new PartitionClaims(jdbc, LEASE);
    }

    @AfterEach
    void drop() throws Exception {
        if (repository != null) {
            repository.close();
        }
    }

    @Test
    void one_worker_claims_a_partition_a_second_is_refused_and_the_manager_sees_who_has_it() {
        try (PartitionClaim first = claims.claim(11, 7, "audit-partition:p0", () -> { }).orElseThrow()) {
            assertThat(claims.claim(11, 7, "audit-partition:p0", () -> { })).as("claimed by the first").isEmpty();

            PartitionClaims.Row row = claims.ofJob(7).get(0);
            assertThat(row.partitionName()).isEqualTo("audit-partition:p0");
            assertThat(row.worker().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(row.stopRequested()).isFalse();
            assertThat(claims.gone(row)).as("this process lives and renews").isFalse();
        }
        assertThat(claims.ofJob(7)).as("closed: deleted").isEmpty();
    }

    @Test
    void the_heartbeat_renews_the_claim_and_carries_the_managers_stop_request_once() {
        AtomicInteger stops = new AtomicInteger();
        try (PartitionClaim claim = claims.claim(11, 7, "audit-partition:p0", stops::incrementAndGet).orElseThrow()) {
            assertThat(claim.beat()).isFalse();
            assertThat(claims.ofJob(7).get(0).renewals()).isEqualTo(1);

            assertThat(claims.requestStop(7)).isEqualTo(1);

            assertThat(claim.beat()).isTrue();
            assertThat(claim.beat()).isTrue();
            assertThat(stops).as("asked once").hasValue(1);
        }
    }

    @Test
    void a_revoke_loses_to_a_renewal_since_the_manager_read_the_claim_and_a_revoked_worker_can_commit_nothing() {
        jdbc.sql("INSERT INTO audit_run_lease (business_date, token, host, pid, acquired_at, renewed_at, renewals)"
                + " VALUES (?, 'manager-token', 'h', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)").param(DATE).update();
        AtomicInteger stops = new AtomicInteger();
        try (PartitionClaim claim = claims.claim(11, 7, "audit-partition:p0", stops::incrementAndGet).orElseThrow()) {
            Runnable fence = claim.fence(DATE, "manager-token");
            PartitionClaims.Row read = claims.ofJob(7).get(0);
            fence.run(); // a chunk committed after the manager read the claim: alive

            assertThat(claims.revoke(read)).as("renewed since it was read").isFalse();
            assertThat(claims.revoke(claims.ofJob(7).get(0))).isTrue();

            assertThatThrownBy(fence::run).hasMessageContaining("revoked this worker's claim");
            assertThat(claim.beat()).as("no row of its token: stop").isTrue();
            assertThat(stops).hasValue(1);
            assertThat(claims.ofJob(7).get(0).revoked()).isTrue();
        }
        assertThat(claims.ofJob(7)).as("a revoked claim stays for the manager").hasSize(1);
    }

    @Test
    void the_fence_fails_once_the_manager_no_longer_holds_the_date() {
        jdbc.sql("INSERT INTO audit_run_lease (business_date, token, host, pid, acquired_at, renewed_at, renewals)"
                + " VALUES (?, 'manager-token', 'h', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)").param(DATE).update();
        try (PartitionClaim claim = claims.claim(11, 7, "audit-partition:p0", () -> { }).orElseThrow()) {
            claim.fence(DATE, "manager-token").run();

            jdbc.sql("UPDATE audit_run_lease SET token = 'another-manager'").update();

            assertThatThrownBy(claim.fence(DATE, "manager-token")::run).hasMessageContaining("no longer holds the run of 2026-11-28");
        }
    }

    @Test
    void a_tombstone_keeps_late_workers_out_and_loses_to_a_worker_that_claimed_first() {
        assertThat(claims.tombstone(12, 7, "audit-partition:p1")).isTrue();
        assertThat(claims.claim(12, 7, "audit-partition:p1", () -> { })).as("given up by the manager").isEmpty();

        try (PartitionClaim claimed = claims.claim(11, 7, "audit-partition:p0", () -> { }).orElseThrow()) {
            assertThat(claims.tombstone(11, 7, "audit-partition:p0")).as("a worker won").isFalse();
            assertThat(claims.requestStop(7)).as("the tombstone is no worker to stop").isEqualTo(1);
        }
        assertThat(claims.forget(7)).isEqualTo(1);
    }

    @Test
    void a_worker_on_this_host_killed_with_kill_9_is_gone_at_once_one_elsewhere_only_once_silent_past_the_lease() throws Exception {
        Process worker = new ProcessBuilder("sleep", "600").start();
        try (PartitionClaim claim = claims.claim(11, 7, "audit-partition:p0", () -> { }).orElseThrow()) {
            ProcessIdentity child = ProcessIdentity.current(worker.pid());
            jdbc.sql("UPDATE audit_partition_claim SET pid = ?, process_start = ?").params(child.pid(), child.processStart()).update();
            assertThat(claims.gone(claims.ofJob(7).get(0))).as("alive").isFalse();

            new ProcessBuilder("kill", "-9", Long.toString(worker.pid())).start().waitFor();
            assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(claims.gone(claims.ofJob(7).get(0))).as("killed, same pid space").isTrue();

            jdbc.sql("UPDATE audit_partition_claim SET host = 'node-7', pid_space = 'another-boot/pid:[4026531836]/audit'").update();
            assertThat(claims.gone(claims.ofJob(7).get(0))).as("that pid means another process there").isFalse();

            jdbc.sql("UPDATE audit_partition_claim SET renewed_at = CURRENT_TIMESTAMP - INTERVAL '31' SECOND").update();
            assertThat(claims.gone(claims.ofJob(7).get(0))).as("silent past audit.worker-lease").isTrue();
        } finally {
            worker.destroyForcibly();
        }
    }
}
