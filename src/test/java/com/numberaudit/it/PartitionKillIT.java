package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;

import testsupport.db.ScratchRepository;
import testsupport.mq.RabbitBroker;

/**
 * A worker killed with {@code kill -9} in the middle of its partition (docs/scale-out-design.md §11): the manager,
 * on the same host, sees it gone at its next poll, fails that partition, stops the other, and exits 1 naming the
 * partition and the worker's pid; the same command with a new worker completes only the partitions not completed,
 * each from its last commit, and the files are a single node's byte for byte. And the manager killed instead, with its
 * worker at work: the same command takes the night over without waiting for the worker, which commits nothing more.
 */
@Tag("long")
@Timeout(600)
class PartitionKillIT extends PartitionedNight {

    @Test
    void aKilledWorkerFailsItsPartitionNamedAndTheSameCommandCompletesOnlyWhatIsMissing() throws Exception {
        SlowNight setUp = slowNight();
        Path output = setUp.output();
        JdbcClient jdbc = setUp.jdbc();
        List<String> shared = setUp.shared();
        List<String> managerCommand = setUp.managerCommand();

        JarRun doomed = worker("worker-1", shared);
        doomed.awaitLine("serving partitions from queue", JarRun.DEFAULT_TIMEOUT);
        JarRun manager = JarRun.start(dir, "manager-1", managerCommand);
        closing.add(manager);
        doomed.awaitLine("Running audit-partition:p", JarRun.DEFAULT_TIMEOUT);
        JarRun survivor = worker("worker-2", shared);
        long committed;
        try {
            committed = awaitCommitted(jdbc, doomed.pid(), 200);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nclaims " + jdbc.sql("SELECT * FROM audit_partition_claim").query().listOfRows()
                    + "\nsteps " + jdbc.sql("SELECT step_name, status, write_count, commit_count FROM batch_step_execution").query().listOfRows()
                    + "\n--- worker-1 ---\n" + Files.readString(dir.resolve("worker-1.out")));
        }

        long killed = System.nanoTime();
        doomed.kill9();
        JarRun.Result failed = manager.await(Duration.ofSeconds(60));
        Duration waited = Duration.ofNanos(System.nanoTime() - killed);

        String workers = "committed " + committed + " at the kill\n--- worker-1 ---\n" + Files.readString(dir.resolve("worker-1.out"))
                + "--- worker-2 ---\n" + Files.readString(dir.resolve("worker-2.out"));
        assertThat(failed.exitCode()).as(failed.describe() + workers).isEqualTo(1);
        assertThat(failed.stdout()).as(failed.describe()).containsPattern("partition p[01] of 2 \\(rows [0-9,]+–[0-9,]*\\): worker host \\S+ pid "
                + doomed.pid() + " is gone after \\d+ rows committed");
        assertThat(waited).as("one poll on the same host, plus the other partition's chunk").isLessThan(Duration.ofSeconds(20));
        assertThat(committed).isGreaterThanOrEqualTo(200);
        assertThat(output.resolve(DATE)).as("nothing published").doesNotExist();
        Map<String, String> firstRun = statuses(jdbc);
        assertThat(firstRun.values()).contains("FAILED");

        JarRun fresh = worker("worker-3", shared);
        JarRun.Result resumed = JarRun.run(dir, "manager-2", managerCommand);

        assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
        setUp.assertFilesAreTheSingleNodes();
        List<Map<String, Object>> executions = jdbc.sql("SELECT step_name, status FROM batch_step_execution WHERE step_name LIKE"
                + " 'audit-partition:%' ORDER BY step_execution_id").query().listOfRows();
        firstRun.forEach((partition, status) -> {
            long runs = executions.stream().filter(row -> row.get("step_name").equals(partition)).count();
            assertThat(runs).as(partition + " ran again only if it had not completed (" + status + ")")
                    .isEqualTo(status.equals("COMPLETED") ? 1 : 2);
        });
        assertThat(statuses(jdbc).values()).as("every partition completed, once").containsOnly("COMPLETED");
        assertThat(survivor.terminate(Duration.ofSeconds(60)).exitCode()).isZero();
        assertThat(fresh.terminate(Duration.ofSeconds(60)).exitCode()).isZero();
    }

    /**
     * The manager killed with {@code kill -9} while its worker runs a partition: the worker goes on committing; the same
     * command takes the night over, and from then on the worker commits nothing more (each chunk confirms the manager's
     * run lease: its next one fails, so no partition is written by two workers); the night resumes and its files are a
     * single node's byte for byte.
     */
    @Test
    void aKilledManagersWorkerCommitsNothingOnceTheNightIsTakenOverAndTheNightResumes() throws Exception {
        SlowNight setUp = slowNight();
        JdbcClient jdbc = setUp.jdbc();
        List<String> managerCommand = setUp.managerCommand();

        JarRun worker = worker("worker-1", setUp.shared());
        worker.awaitLine("serving partitions from queue", JarRun.DEFAULT_TIMEOUT);
        JarRun manager = JarRun.start(dir, "manager-1", managerCommand);
        closing.add(manager);
        long atKill = awaitCommitted(jdbc, worker.pid(), 200);
        manager.kill9();
        awaitCommitted(jdbc, worker.pid(), atKill + 100);

        JarRun.Result resumed = JarRun.run(dir, "manager-2", managerCommand);

        String workerLog = Files.readString(dir.resolve("worker-1.out"));
        assertThat(resumed.exitCode()).as(resumed.describe() + "\n--- worker-1 ---\n" + workerLog).isZero();
        assertThat(workerLog).as("the worker's chunk after the take-over").contains("the manager no longer holds the run of " + DATE
                + " (it ended, or another process took the date over): this partition commits nothing more");
        setUp.assertFilesAreTheSingleNodes();
        assertThat(statuses(jdbc).values()).as("every partition completed").containsOnly("COMPLETED");
        assertThat(worker.terminate(Duration.ofSeconds(60)).exitCode()).isZero();
    }

    /**
     * Both tests' night: a single node's run of it ({@code single}, the files to compare with), and the arguments of its
     * partitioned run on a repository and queue of its own ({@code output}); WeChat slowed in the partitioned runs (one
     * request at a time, 10 numbers, 100 ms: about 15 s a partition), so a kill lands mid-way; the answers, and so the
     * files, are the same at any speed. Chunks are the worker's setting: its own audit.chunk-size.
     */
    private record SlowNight(Path single, Path output, JdbcClient jdbc, List<String> shared, List<String> managerCommand) {

        void assertFilesAreTheSingleNodes() throws IOException {
            for (String csv : RESULT_CSVS) {
                assertThat(Files.readAllBytes(output.resolve(DATE).resolve(csv))).as(csv)
                        .isEqualTo(Files.readAllBytes(single.resolve(DATE).resolve(csv)));
            }
        }
    }

    private SlowNight slowNight() throws IOException {
        queue = RabbitBroker.newQueue();
        List<String> slow = List.of("--audit.simulator.faults.wechat.delay=100ms", "--audit.platforms.wechat.batch-size=10",
                "--audit.platforms.wechat.max-concurrency=1");
        List<String> night = night(dir);
        Path single = dir.resolve("output-single");
        JarRun.Result reference = JarRun.run(dir, "single", with(night, List.of("--audit.output=" + single), repository().arguments()));
        assertThat(reference.exitCode()).as(reference.describe()).isZero();

        Path output = dir.resolve("output-partitioned");
        ScratchRepository repository = repository();
        List<String> shared = with(List.of("--audit.output=" + output, "--audit.simulator.bindings=file:" + dir.resolve("bindings.csv"),
                "--audit.chunk-size=100"), slow, repository.arguments(), RabbitBroker.arguments(queue));
        List<String> managerCommand = with(night, slow, List.of("--audit.output=" + output, "--audit.partitions=2",
                "--audit.partition-poll=200ms"), repository.arguments(), RabbitBroker.arguments(queue));
        return new SlowNight(single, output, JdbcClient.create(repository.dataSource()), shared, managerCommand);
    }

    /** The last status of each partition, by name. */
    private static Map<String, String> statuses(JdbcClient jdbc) {
        Map<String, String> last = new java.util.TreeMap<>();
        jdbc.sql("SELECT step_name, status FROM batch_step_execution WHERE step_name LIKE 'audit-partition:%' ORDER BY step_execution_id")
                .query((rs, n) -> last.put(rs.getString(1), rs.getString(2))).list();
        return last;
    }

    /** Waits until the partition the worker {@code pid} claimed has committed at least {@code rows} rows. */
    private static long awaitCommitted(JdbcClient jdbc, long pid, long rows) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            List<Long> written = jdbc.sql("SELECT s.write_count FROM audit_partition_claim c JOIN batch_step_execution s"
                    + " ON s.step_execution_id = c.step_execution_id WHERE c.pid = ?").param(pid).query(Long.class).list();
            if (!written.isEmpty() && written.get(0) >= rows) {
                return written.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("worker " + pid + " did not commit " + rows + " rows of its partition within 90 s");
    }

}
