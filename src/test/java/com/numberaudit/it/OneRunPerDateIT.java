package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditOutput;
import com.numberaudit.SampleInput;
import testsupport.db.OnSharedRepositories;
import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;

/**
 * One live run per date, with real processes on one job repository: a second process for the
 * date is refused (exit 2) naming the live run's host and pid; once the first is killed with
 * {@code kill -9}, the same command takes the run over and ends with exactly the files of an
 * uninterrupted run. On a repository several processes share (H2 in server mode, PostgreSQL) the
 * date's lease decides; the default H2 file admits one process, and says so.
 */
@Timeout(600)
class OneRunPerDateIT {

    private static final String DATE = "2026-11-28";

    /** The input, and the results of an uninterrupted run of it: the same for every test. */
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static List<String> common;

    @BeforeAll
    static void uninterruptedRun() throws IOException {
        List<String> numbers = SampleInput.mobileNumbers(2_000, 1129);
        Path input = SampleInput.writeInput(shared.resolve("input/pending.csv"), numbers);
        Path bindings = SampleInput.writeBindings(shared.resolve("bindings.csv"), numbers, "wechat", 9);
        common = List.of("--audit.input=" + input, "--audit.date=" + DATE, "--audit.chunk-size=100", "--audit.in-flight=300",
                "--audit.simulator.bindings=file:" + bindings);
        JarRun.Result reference = JarRun.run(shared, "reference", with(List.of("--audit.output=" + shared.resolve("reference"))));
        assertThat(reference.exitCode()).as(reference.describe()).isZero();
    }

    @OnSharedRepositories
    void aSecondProcessIsRefusedWhileTheFirstLivesAndTakesTheRunOverOnceItIsKilled(RepositoryDatabase database) throws Exception {
        Path output = dir.resolve("output");
        try (ScratchRepository repository = database.scratch(output)) {
            List<String> args = new ArrayList<>(repository.arguments());
            args.add("--audit.output=" + output);

            try (JarRun first = startSlow(args, output)) {
                JarRun.Result second = JarRun.run(dir, "second", with(args));

                assertThat(second.exitCode()).as(second.describe()).isEqualTo(2);
                assertThat(second.stderr()).as(second.describe())
                        .contains("number-audit: refused: " + DATE + " is being audited by another process, host "
                                + InetAddress.getLocalHost().getHostName() + " pid " + first.pid() + " (started ");
                assertThat(first.isAlive()).as("the refusal left the live run alone").isTrue();
                first.kill9();
            }
            assertThat(output.resolve(DATE)).doesNotExist();

            JarRun.Result takeover = JarRun.run(dir, "takeover", with(args));

            assertThat(takeover.exitCode()).as(takeover.describe()).isZero();
            assertThat(takeover.stdout() + takeover.stderr()).contains("Taking over the run of " + DATE + " from host");
            for (String file : AuditOutput.FILES) {
                assertThat(output.resolve(DATE).resolve(file)).as(file)
                        .hasSameBinaryContentAs(shared.resolve("reference").resolve(DATE).resolve(file));
            }
        }
    }

    @Test
    void theDefaultH2FileAdmitsOneProcessAndTheSecondIsRefused() throws Exception {
        Path output = dir.resolve("output");
        List<String> args = List.of("--audit.output=" + output);
        try (JarRun first = startSlow(args, output)) {
            JarRun.Result second = JarRun.run(dir, "second", with(args));

            assertThat(second.exitCode()).as(second.describe()).isEqualTo(2);
            assertThat(second.stderr()).as(second.describe())
                    .contains("number-audit: refused: the job repository is open in another process",
                            "another number-audit is running on this audit.output");
            assertThat(first.isAlive()).isTrue();
            first.kill9();
        }
    }

    /** WeChat answers a batch of 20 every 300 ms, one request at a time: the run would last 30 s. */
    private JarRun startSlow(List<String> args, Path output) throws Exception {
        List<String> slow = with(args);
        slow.addAll(List.of("--audit.simulator.faults.wechat.delay=300ms", "--audit.platforms.wechat.batch-size=20",
                "--audit.platforms.wechat.max-concurrency=1"));
        JarRun run = JarRun.start(dir, "first", slow);
        Path clean = output.resolve(".incomplete").resolve(DATE).resolve("clean.csv");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.exists(clean) || Files.readAllLines(clean).size() < 200) {
            if (!run.isAlive() || System.nanoTime() > deadline) {
                fail("the slow run ended or stalled too early\n" + run.await(Duration.ofSeconds(5)).describe());
            }
            Thread.sleep(10);
        }
        return run;
    }

    private static List<String> with(List<String> more) {
        List<String> all = new ArrayList<>(common);
        all.addAll(more);
        return all;
    }
}
