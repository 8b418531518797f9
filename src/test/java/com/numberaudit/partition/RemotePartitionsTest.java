package com.numberaudit.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import com.numberaudit.AuditProperties;
import com.numberaudit.repository.ProcessIdentity;
import com.numberaudit.repository.RunLease;
import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;
import testsupport.mq.RabbitBroker;

/**
 * The manager's {@link AuditPartitionHandler} and the workers' {@link PartitionRequestHandler} over a real RabbitMQ
 * and a real PostgreSQL, in one Spring context, with a toy partitioned job (each partition: chunks of one row, each
 * fenced): every partition completes; a worker gone after its claim (its pid a child process killed with
 * {@code kill -9}) fails its partition within a poll or two, named, with the other stopped; a started partition left
 * without a claim fails after {@code audit.worker-lease}; a partition that completes as the manager gives it up stays
 * completed; no worker at all fails the step after {@code audit.worker-wait}.
 */
class RemotePartitionsTest {

    private static final LocalDate DATE = LocalDate.of(2026, 11, 28);
    /** Rows per partition; each row is a chunk of its own. */
    static final int ROWS = 6;

    @TempDir
    Path work;

    private ScratchRepository repository;
    private String queue;
    private ConfigurableApplicationContext context;

    @BeforeEach
    void open() {
        queue = RabbitBroker.newQueue();
        repository = RepositoryDatabase.POSTGRESQL.scratch(work);
    }

    @AfterEach
    void close() throws Exception {
        Toy.dead.set(null);
        if (context != null) {
            context.close();
        }
        RabbitBroker.deleteQueue(queue);
        if (repository != null) {
            repository.close();
        }
    }

    @Test
    void two_workers_complete_every_partition_and_leave_no_claim() throws Exception {
        start(2, "5m");

        JobExecution execution = run();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<StepExecution> partitions = partitions(execution);
        assertThat(partitions).hasSize(2).allSatisfy(partition -> {
            assertThat(partition.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(partition.getWriteCount()).isEqualTo(ROWS);
        });
        assertThat(JdbcClient.create(repository.dataSource()).sql("SELECT count(*) FROM audit_partition_claim").query(Long.class).single())
                .isZero();
    }

    @Test
    void a_partition_whose_worker_is_killed_fails_within_a_poll_named_with_its_worker_and_the_other_stops() throws Exception {
        Process worker = new ProcessBuilder("sleep", "600").start();
        try {
            Toy.dead.set(new Toy.Dead("p1", ProcessIdentity.current(worker.pid()), new CountDownLatch(1), new CountDownLatch(1)));
            start(2, "5m");
            AtomicReference<JobExecution> ended = new AtomicReference<>();
            Thread manager = manager(ended);
            assertThat(Toy.dead.get().claimed().await(60, TimeUnit.SECONDS)).as("p1 claimed and its first chunk committed").isTrue();

            long killed = System.nanoTime();
            new ProcessBuilder("kill", "-9", Long.toString(worker.pid())).start().waitFor();
            manager.join(30_000);
            Duration waited = Duration.ofNanos(System.nanoTime() - killed);

            JobExecution execution = ended.get();
            assertThat(failureOf(execution)).isInstanceOf(PartitionsFailedException.class)
                    .hasMessageStartingWith("partition p1 of 2 (rows " + ROWS + "–): worker host ")
                    .hasMessageContaining("pid " + worker.pid() + " is gone after 1 rows committed")
                    .hasMessageContaining("p0 stopped and resumes");
            // one poll (200 ms) after the kill, plus the survivor's chunk (1 s); generous for a loaded machine
            assertThat(waited).isLessThan(Duration.ofSeconds(10));
            Map<String, BatchStatus> statuses = new HashMap<>();
            partitions(execution).forEach(partition -> statuses.put(AuditPartitionHandler.name(partition), partition.getStatus()));
            assertThat(statuses).containsEntry("p1", BatchStatus.FAILED).containsEntry("p0", BatchStatus.STOPPED);
        } finally {
            Toy.dead.get().release().countDown();
            worker.destroyForcibly();
        }
    }

    @Test
    void a_started_partition_left_without_a_claim_fails_after_the_worker_lease_named_with_its_worker() throws Exception {
        Toy.dead.set(new Toy.Dead("p1", null, new CountDownLatch(1), new CountDownLatch(1)));
        try {
            start(2, "5m");
            AtomicReference<JobExecution> ended = new AtomicReference<>();
            Thread manager = manager(ended);
            assertThat(Toy.dead.get().claimed().await(60, TimeUnit.SECONDS)).as("p1 claimed, its first chunk committed, its claim gone").isTrue();

            long lost = System.nanoTime();
            manager.join(30_000);
            Duration waited = Duration.ofNanos(System.nanoTime() - lost);

            JobExecution execution = ended.get();
            assertThat(failureOf(execution)).isInstanceOf(PartitionsFailedException.class)
                    .hasMessageStartingWith("partition p1 of 2 (rows " + ROWS + "–): worker host ")
                    .hasMessageContaining("pid " + ProcessIdentity.current().pid() + " is gone after 1 rows committed")
                    .hasMessageContaining("audit.worker-lease");
            // the worker lease (6 s) and a poll; generous for a loaded machine
            assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(5)).isLessThan(Duration.ofSeconds(20));
            assertThat(partitions(execution)).filteredOn(partition -> AuditPartitionHandler.name(partition).equals("p1"))
                    .singleElement().satisfies(partition -> assertThat(partition.getStatus()).isEqualTo(BatchStatus.FAILED));
        } finally {
            Toy.dead.get().release().countDown();
        }
    }

    @Test
    void a_partition_that_completes_as_the_manager_gives_it_up_stays_completed_and_is_not_run_again() throws Exception {
        start(0, "2s");
        // a worker's COMPLETED landing between the manager's last read of p0 (STARTING) and its tombstone: written by the
        // tombstone's own statement
        try (Connection connection = repository.connect(); Statement sql = connection.createStatement()) {
            sql.execute("""
                    CREATE FUNCTION complete_partition() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                    UPDATE batch_step_execution SET status = 'COMPLETED', exit_code = 'COMPLETED', end_time = LOCALTIMESTAMP,
                    version = version + 1 WHERE step_execution_id = NEW.step_execution_id; RETURN NEW; END $$""");
            sql.execute("""
                    CREATE TRIGGER complete_p0 AFTER INSERT ON audit_partition_claim FOR EACH ROW
                    WHEN (NEW.token = 'revoked' AND NEW.partition_name LIKE '%p0') EXECUTE FUNCTION complete_partition()""");
        }

        JobExecution first = run();

        assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
        Map<String, BatchStatus> statuses = new HashMap<>();
        partitions(first).forEach(partition -> statuses.put(AuditPartitionHandler.name(partition), partition.getStatus()));
        assertThat(statuses).containsEntry("p0", BatchStatus.COMPLETED).containsEntry("p1", BatchStatus.FAILED);
        StepExecution audit = first.getStepExecutions().stream().filter(step -> step.getStepName().equals("audit")).findFirst()
                .orElseThrow();
        assertThat(audit.getFailureExceptions()).singleElement().satisfies(failure -> assertThat(failure)
                .hasMessageStartingWith("partition p1 of 2")
                .hasMessageContaining("p0 completed"));

        JobExecution second = run();

        assertThat(partitions(second)).as("only p1 runs again").extracting(AuditPartitionHandler::name).containsExactly("p1");
    }

    @Test
    void with_no_worker_the_step_fails_after_the_worker_wait_naming_the_partitions() throws Exception {
        start(0, "2s");
        long started = System.nanoTime();

        JobExecution execution = run();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2))
                .isLessThan(Duration.ofSeconds(20));
        StepExecution audit = execution.getStepExecutions().stream().filter(step -> step.getStepName().equals("audit")).findFirst()
                .orElseThrow();
        assertThat(audit.getFailureExceptions()).singleElement().satisfies(failure -> assertThat(failure)
                .hasMessageContaining("partition p0 of 2 (rows 0–" + ROWS + "): no worker took them within 2 s (audit.worker-wait)")
                .hasMessageContaining("partition p1 of 2"));
        assertThat(partitions(execution)).allSatisfy(partition -> assertThat(partition.getStatus()).isEqualTo(BatchStatus.FAILED));
    }

    private void start(int workers, String workerWait) {
        List<String> arguments = new ArrayList<>(repository.arguments());
        arguments.addAll(RabbitBroker.arguments(queue));
        arguments.addAll(List.of("--audit.partitions=2", "--audit.partition-poll=200ms", "--audit.worker-lease=6s",
                "--audit.worker-wait=" + workerWait, "--toy.workers=" + workers,
                // two workers' pollers in one context, each busy for a partition at a time
                "--spring.task.scheduling.pool.size=2", "--audit.output=" + work.resolve("output")));
        context = new SpringApplicationBuilder(Toy.class).web(WebApplicationType.NONE).logStartupInfo(false)
                .run(arguments.toArray(String[]::new));
    }

    /** The one failure of a night that ended FAILED: its audit step's. */
    private static Throwable failureOf(JobExecution execution) {
        assertThat(execution).as("the manager ended").isNotNull();
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        StepExecution audit = execution.getStepExecutions().stream().filter(step -> step.getStepName().equals("audit")).findFirst()
                .orElseThrow();
        assertThat(audit.getFailureExceptions()).hasSize(1);
        return audit.getFailureExceptions().get(0);
    }

    /** The manager, run on a thread of its own: its job execution is in {@code ended} once it ends. */
    private Thread manager(AtomicReference<JobExecution> ended) {
        Thread manager = new Thread(() -> {
            try {
                ended.set(run());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        manager.start();
        return manager;
    }

    private JobExecution run() throws Exception {
        RunLease lease = context.getBean(RunLease.class);
        assertThat(lease.acquire(DATE)).isEmpty();
        try {
            return context.getBean(JobOperator.class).start(context.getBean(Job.class),
                    new JobParametersBuilder().addLocalDate("date", DATE).toJobParameters());
        } finally {
            lease.close();
        }
    }

    private List<StepExecution> partitions(JobExecution execution) {
        JobRepository jobRepository = context.getBean(JobRepository.class);
        return jobRepository.getJobExecution(execution.getId()).getStepExecutions().stream()
                .filter(step -> step.getStepName().startsWith("toy-partition:")).toList();
    }

    /** A manager and up to two workers of a toy partitioned job in one context. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties(AuditProperties.class)
    @ComponentScan(basePackageClasses = RunLease.class)
    @Import(PartitionTransportConfiguration.class)
    static class Toy {

        /**
         * A partition whose worker "dies" after its first chunk: its claim then names {@code process}, which the test
         * kills; with no process its claim is deleted, as a worker whose last status write failed leaves it.
         */
        record Dead(String partition, ProcessIdentity process, CountDownLatch claimed, CountDownLatch release) {
        }

        static final AtomicReference<Dead> dead = new AtomicReference<>();

        @Bean
        AuditPartitionHandler auditPartitionHandler(JobRepository jobRepository, RabbitTemplate rabbitTemplate, PartitionClaims claims,
                                                    RunLease runLease, AuditProperties properties) {
            return new AuditPartitionHandler(jobRepository, rabbitTemplate, claims, runLease::token, properties.partitionQueue(),
                    "toy-partition", properties.partitionPoll(), properties.workerWait(), 2,
                    context -> "rows " + context.getLong("from") + "–" + (context.containsKey("to") ? context.getLong("to") : ""));
        }

        @Bean
        Job toy(JobRepository jobRepository, AuditPartitionHandler handler) {
            Partitioner ranges = gridSize -> {
                Map<String, ExecutionContext> partitions = new HashMap<>();
                for (int k = 0; k < gridSize; k++) {
                    ExecutionContext range = new ExecutionContext();
                    range.putLong("from", (long) k * ROWS);
                    if (k < gridSize - 1) {
                        range.putLong("to", (long) (k + 1) * ROWS);
                    }
                    partitions.put("p" + k, range);
                }
                return partitions;
            };
            Step audit = new StepBuilder("audit", jobRepository).partitioner("toy-partition", ranges).partitionHandler(handler).build();
            return new JobBuilder("toy", jobRepository).start(audit).build();
        }

        @Bean
        PartitionSteps toySteps(JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcClient jdbc) {
            return (id, fence) -> new StepBuilder("toy-partition", jobRepository).tasklet((contribution, chunk) -> {
                StepExecution partition = contribution.getStepExecution();
                Dead dying = dead.get();
                if (dying != null && partition.getStepName().endsWith(":" + dying.partition()) && partition.getWriteCount() > 0) {
                    // after its first chunk the claim names a process the test kills (committed on its own, as a worker's
                    // heartbeat would be), and this "worker" hangs like a dead one, in a chunk that never reaches its fence
                    new TransactionTemplate(transactionManager, new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW))
                            .executeWithoutResult(status -> (dying.process() == null
                                    ? jdbc.sql("DELETE FROM audit_partition_claim WHERE step_execution_id = ?").param(partition.getId())
                                    : jdbc.sql("UPDATE audit_partition_claim SET pid = ?, process_start = ? WHERE step_execution_id = ?")
                                            .params(dying.process().pid(), dying.process().processStart(), partition.getId())).update());
                    dying.claimed().countDown();
                    dying.release().await(60, TimeUnit.SECONDS);
                    fence.run();
                    return RepeatStatus.FINISHED;
                }
                fence.run();
                contribution.incrementWriteCount(1);
                Thread.sleep(dying == null ? 200 : 1_000); // beside a dying worker: still running when it is found gone
                return partition.getWriteCount() + 1 >= ROWS ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
            }, transactionManager).build();
        }

        @Bean
        PartitionRequestHandler partitionRequestHandler(JobRepository jobRepository, PartitionClaims claims, PartitionSteps toySteps) {
            return new PartitionRequestHandler(jobRepository, claims, "toy-partition", toySteps);
        }

        @Bean
        @ConditionalOnProperty(name = "toy.workers", havingValue = "2")
        PartitionRequestHandler secondWorker(JobRepository jobRepository, PartitionClaims claims, PartitionSteps toySteps) {
            return new PartitionRequestHandler(jobRepository, claims, "toy-partition", toySteps);
        }

        @Bean
        @ConditionalOnProperty(name = "toy.workers", havingValue = "2")
        IntegrationFlow firstWorkerFlow(ConnectionFactory connectionFactory, AuditProperties properties,
                                        PartitionRequestHandler partitionRequestHandler) {
            return PartitionWorkerConfiguration.requests(connectionFactory, properties.partitionQueue(), partitionRequestHandler);
        }

        @Bean
        @ConditionalOnProperty(name = "toy.workers", havingValue = "2")
        IntegrationFlow secondWorkerFlow(ConnectionFactory connectionFactory, AuditProperties properties,
                                         PartitionRequestHandler secondWorker) {
            return PartitionWorkerConfiguration.requests(connectionFactory, properties.partitionQueue(), secondWorker);
        }
    }
}
