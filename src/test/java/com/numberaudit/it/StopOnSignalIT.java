package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditOutput;
import com.numberaudit.SampleInput;

/**
 * SIGTERM, what systemd and Kubernetes send to stop a service: the run ends at a chunk boundary
 * with exit 1 and one line saying so (no stack traces), the job repository shows it STOPPED,
 * nothing appears under {@code <output>/<date>/}, and the same command resumes it to exactly the
 * files of an uninterrupted run.
 */
@Timeout(400)
class StopOnSignalIT {

    private static final String DATE = "2026-11-28";

    @TempDir
    Path dir;

    @Test
    void sigtermStopsAtAChunkBoundaryAndTheSameCommandResumes() throws Exception {
        List<String> numbers = SampleInput.mobileNumbers(2_000, 20261128);
        Path input = SampleInput.writeInput(dir.resolve("input/pending.csv"), numbers);
        Path bindings = SampleInput.writeBindings(dir.resolve("bindings.csv"), numbers, "wechat", 11);
        List<String> common = List.of("--audit.input=" + input, "--audit.date=" + DATE, "--audit.chunk-size=100",
                "--audit.in-flight=300", "--audit.simulator.bindings=file:" + bindings,
                "--audit.platforms.wechat.batch-size=50", "--audit.platforms.wechat.max-concurrency=1");
        Path output = dir.resolve("output");
        JarRun.Result reference = JarRun.run(dir, "reference", with(common, "--audit.output=" + dir.resolve("reference")));
        assertThat(reference.exitCode()).as(reference.describe()).isZero();
        List<String> slow = with(common, "--audit.output=" + output, "--audit.simulator.faults.wechat.delay=100ms");

        JarRun.Result stopped;
        try (JarRun run = JarRun.start(dir, "stopped", slow)) {
            awaitStagedRows(run, output.resolve(".incomplete").resolve(DATE).resolve("clean.csv"), 300);
            stopped = run.terminate(Duration.ofSeconds(60));
        }

        assertThat(stopped.exitCode()).as(stopped.describe()).isEqualTo(1);
        assertThat(stopped.stdout()).as(stopped.describe()).contains("STOPPED by SIGTERM after").contains("Run the same command again to resume");
        assertThat(stopped.stdout() + stopped.stderr()).as("no stack trace\n" + stopped.describe()).doesNotContain("\tat ", "Exception");
        assertThat(output.resolve(DATE)).as("nothing final-looking after a stop").doesNotExist();
        assertThat(statuses(output)).containsExactly("STOPPED");

        JarRun.Result resumed = JarRun.run(dir, "resumed", slow);

        assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
        for (String file : AuditOutput.FILES) {
            assertThat(output.resolve(DATE).resolve(file)).hasSameBinaryContentAs(dir.resolve("reference").resolve(DATE).resolve(file));
        }
        assertThat(statuses(output)).containsExactly("STOPPED", "COMPLETED");
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

    private static List<String> statuses(Path output) throws SQLException {
        String url = "jdbc:h2:file:" + output.resolve("job-repository").resolve("number-audit").toAbsolutePath()
                + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r";
        List<String> statuses = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(url, "", "");
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
