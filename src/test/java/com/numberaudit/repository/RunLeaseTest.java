package com.numberaudit.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.numberaudit.AuditProperties;
import testsupport.db.OnSharedRepositories;
import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;

/**
 * Two holders of one job repository, as two processes would be: the second is refused while the
 * first renews its lease, and takes the date over once the first is silent past the lease or its
 * process is gone; the first can then commit nothing more.
 */
class RunLeaseTest {

    private static final LocalDate DATE = LocalDate.of(2026, 11, 28);

    @TempDir
    Path work;

    private ScratchRepository repository;
    private JdbcClient jdbc;

    void open(RepositoryDatabase database) {
        repository = database.scratch(work);
        Flyway.configure().dataSource(repository.dataSource()).load().migrate();
        jdbc = JdbcClient.create(repository.dataSource());
    }

    @AfterEach
    void drop() throws Exception {
        if (repository != null) {
            repository.close();
        }
    }

    @OnSharedRepositories
    void a_second_process_is_refused_while_the_first_lives_and_told_who_holds_the_date(RepositoryDatabase database) {
        open(database);
        try (RunLease first = lease(Duration.ofSeconds(60)); RunLease second = lease(Duration.ofSeconds(60))) {
            assertThat(first.acquire(DATE)).isEmpty();

            Optional<RunLease.Holder> holder = second.acquire(DATE);

            assertThat(holder).isPresent();
            assertThat(holder.get().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(holder.get().toString()).startsWith("host ").endsWith(" pid " + ProcessHandle.current().pid());
            assertThat(second.acquire(LocalDate.of(2026, 11, 27))).as("another date is free").isEmpty();
        }
    }

    @OnSharedRepositories
    void a_released_date_is_free_again(RepositoryDatabase database) {
        open(database);
        try (RunLease first = lease(Duration.ofSeconds(60)); RunLease second = lease(Duration.ofSeconds(60))) {
            assertThat(first.acquire(DATE)).isEmpty();
            first.close();

            assertThat(second.acquire(DATE)).isEmpty();
        }
    }

    @OnSharedRepositories
    void a_holder_on_another_host_keeps_the_date_while_it_renews_and_loses_it_once_silent_past_the_lease(RepositoryDatabase database) throws Exception {
        open(database);
        try (RunLease first = lease(Duration.ofSeconds(60)); RunLease second = lease(Duration.ofSeconds(2))) {
            assertThat(first.acquire(DATE)).isEmpty();
            elsewhere();

            assertThat(second.acquire(DATE)).as("heard from just now").isPresent();

            jdbc.sql("UPDATE audit_run_lease SET renewed_at = CURRENT_TIMESTAMP - INTERVAL '3' SECOND").update();
            assertThat(second.acquire(DATE)).as("silent for 3 s, past a 2 s lease").isEmpty();

            assertThatThrownBy(first::confirmHeld).as("the first may commit nothing more")
                    .hasMessageContaining("no longer holds the run of 2026-11-28");
            second.confirmHeld();
        }
    }

    @OnSharedRepositories
    void a_holder_on_this_host_whose_process_is_gone_is_taken_over_at_once(RepositoryDatabase database) throws Exception {
        open(database);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (RunLease first = lease(Duration.ofSeconds(60)); RunLease second = lease(Duration.ofSeconds(60))) {
            assertThat(first.acquire(DATE)).isEmpty();
            jdbc.sql("UPDATE audit_run_lease SET pid = ?").param(gone.pid()).update();

            assertThat(second.acquire(DATE)).isEmpty();
            assertThat(jdbc.sql("SELECT pid FROM audit_run_lease").query(Long.class).single()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @OnSharedRepositories
    void a_gone_pid_of_another_machine_or_container_frees_the_date_only_when_the_lease_runs_out(RepositoryDatabase database)
            throws Exception {
        open(database);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (RunLease first = lease(Duration.ofSeconds(60)); RunLease second = lease(Duration.ofSeconds(60))) {
            assertThat(first.acquire(DATE)).isEmpty();
            elsewhere();
            jdbc.sql("UPDATE audit_run_lease SET pid = ?").param(gone.pid()).update();

            assertThat(second.acquire(DATE)).as("that pid means another process there").isPresent();
        }
    }

    @OnSharedRepositories
    void the_heartbeat_keeps_a_lease_alive_past_its_length(RepositoryDatabase database) throws Exception {
        open(database);
        try (RunLease first = lease(Duration.ofSeconds(4)); RunLease second = lease(Duration.ofSeconds(4))) {
            assertThat(first.acquire(DATE)).isEmpty();
            elsewhere();

            Thread.sleep(5_000);

            assertThat(jdbc.sql("SELECT renewals FROM audit_run_lease").query(Long.class).single()).isPositive();
            assertThat(second.acquire(DATE)).as("renewed every second by the first").isPresent();
        }
    }

    @OnSharedRepositories
    void the_fence_inside_a_chunks_transaction_does_not_count_as_heard_from(RepositoryDatabase database) throws Exception {
        open(database);
        try (RunLease first = lease(Duration.ofSeconds(60))) {
            assertThat(first.acquire(DATE)).isEmpty();
            jdbc.sql("UPDATE audit_run_lease SET renewed_at = CURRENT_TIMESTAMP - INTERVAL '30' SECOND").update();

            first.confirmHeld();

            assertThat(jdbc.sql("SELECT renewals FROM audit_run_lease").query(Long.class).single()).isEqualTo(1);
            try (RunLease second = lease(Duration.ofSeconds(60))) {
                assertThat(second.acquire(DATE).orElseThrow().silentFor()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
            }
        }
    }

    /** Makes the holder's row look like one of another machine: its pid means nothing here. */
    private void elsewhere() {
        jdbc.sql("UPDATE audit_run_lease SET host = 'node-7', pid_space = 'another-boot/pid:[4026531836]/audit'").update();
    }

    private RunLease lease(Duration duration) {
        return new RunLease(jdbc, new AuditProperties(Path.of("input"), Path.of("output"), null, null, false, 5000, 20000,
                duration, true, Duration.ofDays(90), Duration.ofDays(400), Duration.ofSeconds(10),
                null, Duration.ZERO, false, 1, Map.of(), AuditProperties.Role.MANAGER, "number-audit.partitions",
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(1)));
    }
}
