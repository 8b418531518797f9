package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditOutput;
import com.numberaudit.SampleInput;
import testsupport.db.OnH2AndPostgreSQL;
import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;

/**
 * SIGTERM, what systemd and Kubernetes send to stop a service: the run ends at a chunk boundary
 * with exit 1 and one line saying so (no stack traces), the job repository shows it STOPPED,
 * nothing appears under {@code <output>/<date>/}, and the same command resumes it to exactly the
 * files of an uninterrupted run; with the job repository in the default H2 file and in PostgreSQL.
 */
@Timeout(400)
class StopOnSignalIT {

    private static final String DATE = "2026-11-28";

    /** The input, and the uninterrupted run's results both databases' runs are compared with. */
    @TempDir
    static Path shared;

    private static List<String> common;

    @TempDir
    Path dir;

    @BeforeAll
    static void uninterruptedRun() throws IOException {
        List<String> numbers = SampleInput.mobileNumbers(2_000, 20261128);
        Path input = SampleInput.writeInput(shared.resolve("input/pending.csv"), numbers);
        Path bindings = SampleInput.writeBindings(shared.resolve("bindings.csv"), numbers, "wechat", 11);
        common = List.of("--audit.input=" + input, "--audit.date=" + DATE, "--audit.chunk-size=100",
                "--audit.in-flight=300", "--audit.simulator.bindings=file:" + bindings,
                "--audit.platforms.wechat.batch-size=50", "--audit.platforms.wechat.max-concurrency=1");
        JarRun.Result reference = JarRun.run(shared, "reference", with(common, "--audit.output=" + shared.resolve("reference")));
        assertThat(reference.exitCode()).as(reference.describe()).isZero();
    }

    @OnH2AndPostgreSQL
    void sigtermStopsAtAChunkBoundaryAndTheSameCommandResumes(RepositoryDatabase database) throws Exception {
        Path output = dir.resolve("output");
        try (ScratchRepository repository = database.scratch(output)) {
            sigtermStopsAndTheSameCommandResumes(repository, output);
        }
    }

    private void sigtermStopsAndTheSameCommandResumes(ScratchRepository repository, Path output) throws Exception {
        List<String> slow = with(common, "--audit.output=" + output, "--audit.simulator.faults.wechat.delay=100ms");
        slow.addAll(repository.arguments());

        JarRun.Result stopped;
        try (JarRun run = JarRun.start(dir, "stopped", slow)) {
            awaitStagedRows(run, output.resolve(".incomplete").resolve(DATE).resolve("clean.csv"), 300);
            stopped = run.terminate(Duration.ofSeconds(60));
        }

        assertThat(stopped.exitCode()).as(stopped.describe()).isEqualTo(1);
        assertThat(stopped.stdout()).as(stopped.describe()).contains("STOPPED by SIGTERM after").contains("Run the same command again to resume");
        assertThat(stopped.stdout() + stopped.stderr()).as("no stack trace\n" + stopped.describe()).doesNotContain("\tat ", "Exception");
        assertThat(output.resolve(DATE)).as("nothing final-looking after a stop").doesNotExist();
        assertThat(statuses(repository)).containsExactly("STOPPED");

        JarRun.Result resumed = JarRun.run(dir, "resumed", slow);

        assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
        for (String file : AuditOutput.FILES) {
            assertThat(output.resolve(DATE).resolve(file)).hasSameBinaryContentAs(shared.resolve("reference").resolve(DATE).resolve(file));
        }
        assertThat(statuses(repository)).containsExactly("STOPPED", "COMPLETED");
    }

    private static void awaitStagedRows(JarRun run, Path csv, long rows) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.exists(csv) || Files.readAllLines(csv, StandardCharsets.UTF_8).size() - 1 < rows) {
            if (!run.isAlive() || System.nanoTime() > deadline) {
                fail("the run ended or stalled before it could be stopped\n" + run.await(Duration.ofSeconds(5)).describe());
            }
            Thread.sleep(10);
        }
    }

    private static List<String> statuses(ScratchRepository repository) throws SQLException {
        List<String> statuses = new ArrayList<>();
        try (Connection db = repository.connect();
             Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select STATUS from BATCH_JOB_EXECUTION order by JOB_EXECUTION_ID")) {
            while (rs.next()) {
                statuses.add(rs.getString(1));
            }
        }
        return statuses;
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(Arrays.asList(more));
        return all;
    }
}
