package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.numberaudit.AuditOutput;
import com.numberaudit.SampleInput;
import testsupport.db.OnH2AndPostgreSQL;
import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;

/**
 * A run's identity, against the packaged jar: a date is continued only by the same run (same
 * platforms, same input files, same output folder). A restart or a rerun of a completed date with
 * another set-up is refused (exit 2) with each difference named and nothing written; a killed run
 * leaves nothing under {@code <output>/<date>/}; {@code --audit.rerun=true} audits a date again and
 * replaces its results whole. A restart's refusal and resume, and a shared repository's refusal,
 * also run with the repository in PostgreSQL; the rest use the default H2 file.
 */
@Timeout(600)
class RunIdentityIT {

    private static final String DATE = "2026-11-28";
    private static final int COUNT = 2_000;

    @TempDir
    Path dir;

    private Path input;
    private List<String> numbers;
    private List<String> common;

    @BeforeEach
    void writeInput() throws IOException {
        numbers = SampleInput.mobileNumbers(COUNT, 1128);
        input = Files.createDirectories(dir.resolve("input"));
        SampleInput.writeInput(input.resolve("a-pending.csv"), numbers.subList(0, COUNT / 2));
        SampleInput.writeInput(input.resolve("b-pending.csv"), numbers.subList(COUNT / 2, COUNT));
        StringBuilder bindings = new StringBuilder("number,platform,status,accounts\n");
        for (int i = 0; i < COUNT; i += 9) {
            bindings.append(numbers.get(i)).append(i % 2 == 0 ? ",bilibili" : ",wechat").append(",BOUND,1\n");
        }
        Path bindingsFile = Files.writeString(dir.resolve("bindings.csv"), bindings, StandardCharsets.UTF_8);
        common = List.of("--audit.input=" + input, "--audit.date=" + DATE, "--audit.chunk-size=100", "--audit.in-flight=300",
                "--audit.simulator.bindings=file:" + bindingsFile);
    }

    @OnH2AndPostgreSQL
    void restartWithAnotherPlatformSetIsRefusedAndTheSameCommandResumes(RepositoryDatabase database) throws Exception {
        Path output = dir.resolve("output");
        try (ScratchRepository repository = database.scratch(output)) {
            restartWithAnotherPlatformSetIsRefusedAndTheSameCommandResumes(repository, output);
        }
    }

    private void restartWithAnotherPlatformSetIsRefusedAndTheSameCommandResumes(ScratchRepository repository, Path output)
            throws Exception {
        List<String> withoutBilibili = on(repository, "--audit.output=" + output, "--audit.platforms.bilibili.enabled=false");
        JarRun.Result reference = JarRun.run(dir, "reference", with("--audit.output=" + dir.resolve("reference"),
                "--audit.platforms.bilibili.enabled=false"));
        assertThat(reference.exitCode()).as(reference.describe()).isZero();

        killMidWay(output, withoutBilibili);
        JarRun.Result refused = JarRun.run(dir, "with-bilibili", on(repository, "--audit.output=" + output));

        assertRefused(refused, "audit.platforms.bilibili.enabled: false in the interrupted run, true now", "--audit.rerun=true");
        assertThat(output.resolve(DATE)).as("nothing final-looking after a refusal").doesNotExist();

        JarRun.Result resumed = JarRun.run(dir, "resumed", withoutBilibili);
        assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
        for (String file : AuditOutput.FILES) {
            assertThat(output.resolve(DATE).resolve(file)).hasSameBinaryContentAs(dir.resolve("reference").resolve(DATE).resolve(file));
        }
    }

    @Test
    void restartWithTheSameFilesInAnotherOrderIsRefused() throws Exception {
        Path output = dir.resolve("output");
        killMidWay(output, with("--audit.output=" + output));
        Path a = input.resolve("a-pending.csv");
        Path b = input.resolve("b-pending.csv");
        Path swap = dir.resolve("swap.csv");
        Files.move(a, swap);
        Files.move(b, a);
        Files.move(swap, b);

        JarRun.Result refused = JarRun.run(dir, "reordered", with("--audit.output=" + output));

        assertRefused(refused, "input a-pending.csv changed since the interrupted run", "input b-pending.csv changed since the interrupted run");
        assertThat(output.resolve(DATE)).doesNotExist();
    }

    @Test
    void completedDateWithMoreInputIsRefusedAndARerunReplacesItsResultsWhole() throws IOException {
        Path output = dir.resolve("output");
        Path results = output.resolve(DATE);
        assertThat(JarRun.run(dir, "first", with("--audit.output=" + output)).exitCode()).isZero();
        Map<String, Object> before = snapshot(results);
        String added = "13999990001";
        Files.writeString(input.resolve("b-pending.csv"), added + ",2026-08-21\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        JarRun.Result refused = JarRun.run(dir, "more-input", with("--audit.output=" + output));

        assertRefused(refused, "input b-pending.csv changed since the completed run", "--audit.rerun=true");
        assertThat(snapshot(results)).as("a refused run changes nothing").isEqualTo(before);

        JarRun.Result rerun = JarRun.run(dir, "rerun", with("--audit.output=" + output, "--audit.rerun=true"));

        assertThat(rerun.exitCode()).as(rerun.describe()).isZero();
        AuditOutput replaced = new AuditOutput(results);
        assertThat(replaced.numbers("clean.csv")).contains(added);
        assertThat(replaced.dataRows()).isEqualTo(COUNT + 1);
        assertThat(Files.readString(results.resolve("summary.json"))).contains("\"rerun\" : 1");
        try (Stream<Path> left = Files.list(output)) {
            assertThat(left.map(path -> path.getFileName().toString())).as("nothing of the replaced results is left beside them")
                    .containsExactlyInAnyOrder(DATE, "job-repository", "logs");
        }
        JarRun.Result again = JarRun.run(dir, "again", with("--audit.output=" + output));
        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(again.stdout()).contains("already completed");
    }

    /** The default H2 file is one per output folder: a repository two folders share is a server's. */
    @ParameterizedTest(name = "[{0}]")
    @EnumSource(value = RepositoryDatabase.class, names = {"H2_SERVER", "POSTGRESQL"})
    void anotherOutputFolderOnASharedRepositoryIsRefused(RepositoryDatabase database) throws Exception {
        try (ScratchRepository repository = database.scratch(dir.resolve("shared"))) {
            assertThat(JarRun.run(dir, "first", on(repository, "--audit.output=" + dir.resolve("one"))).exitCode()).isZero();

            JarRun.Result refused = JarRun.run(dir, "second", on(repository, "--audit.output=" + dir.resolve("two")));

            assertRefused(refused, "audit.output: " + dir.resolve("one").toAbsolutePath() + " in the completed run, "
                    + dir.resolve("two").toAbsolutePath() + " now");
            assertThat(dir.resolve("two").resolve(DATE)).doesNotExist();
        }
    }

    @Test
    void resultsAreNotWorldReadable() throws IOException {
        Path output = dir.resolve("output");
        assertThat(JarRun.run(dir, "run", with("--audit.output=" + output)).exitCode()).isZero();

        Path results = output.resolve(DATE);
        assertThat(Files.getPosixFilePermissions(results)).doesNotContain(PosixFilePermission.OTHERS_READ,
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE);
        try (Stream<Path> files = Files.list(results)) {
            assertThat(files.map(file -> file.getFileName().toString())).as("eight files and the notices of bilibili and wechat")
                    .containsExactlyInAnyOrder("clean.csv", "bound.csv", "undetermined.csv", "rejected.csv", "escalations.csv",
                            "summary.json", "report.html", "metrics.prom", "notices");
        }
        try (Stream<Path> tree = Files.walk(results)) {
            assertThat(tree.toList()).hasSize(1 + 9 + 2).allSatisfy(file -> assertThat(Files.getPosixFilePermissions(file))
                    .doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE));
        }
    }

    @Test
    void aCommandWithoutDateRunAgainAfterMidnightIsRefusedUntilTheInterruptedDateIsResumed() throws Exception {
        Path output = dir.resolve("output");
        killMidWay(output, with("--audit.output=" + output));
        List<String> withoutDate = new ArrayList<>(with("--audit.output=" + output));
        withoutDate.remove("--audit.date=" + DATE);

        JarRun.Result refused = JarRun.run(dir, "next-day", withoutDate);

        assertRefused(refused, "the run of " + DATE + " was interrupted", "--audit.date=" + DATE);
        JarRun.Result resumed = JarRun.run(dir, "resumed", with("--audit.output=" + output));
        assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
        assertThat(resumed.stdout()).contains("resuming it");
        assertThat(new AuditOutput(output.resolve(DATE)).dataRows()).isEqualTo(COUNT);
    }

    @Test
    void aRerunAbandonsAnInterruptedRunAndAuditsTheDateAfresh() throws Exception {
        Path output = dir.resolve("output");
        JarRun.Result reference = JarRun.run(dir, "reference", with("--audit.output=" + dir.resolve("reference")));
        assertThat(reference.exitCode()).as(reference.describe()).isZero();
        killMidWay(output, with("--audit.output=" + output));

        JarRun.Result rerun = JarRun.run(dir, "rerun", with("--audit.output=" + output, "--audit.rerun=true"));

        assertThat(rerun.exitCode()).as(rerun.describe()).isZero();
        assertThat(rerun.stdout()).contains("abandoned the interrupted run");
        for (String file : AuditOutput.FILES) {
            assertThat(output.resolve(DATE).resolve(file)).hasSameBinaryContentAs(dir.resolve("reference").resolve(DATE).resolve(file));
        }
        assertThat(Files.readString(output.resolve(DATE).resolve("summary.json"))).contains("\"rerun\" : 1");
    }

    @Test
    void inputThatChangesWhileItIsAuditedIsNotPublished() throws Exception {
        Path output = dir.resolve("output");
        List<String> slow = new ArrayList<>(with("--audit.output=" + output));
        slow.addAll(List.of("--audit.simulator.faults.wechat.delay=100ms", "--audit.platforms.wechat.batch-size=50",
                "--audit.platforms.wechat.max-concurrency=1"));
        JarRun.Result result;
        try (JarRun run = JarRun.start(dir, "appended", slow)) {
            awaitStaged(run, output.resolve(".incomplete").resolve(DATE).resolve("clean.csv"), 300);
            Files.writeString(input.resolve("a-pending.csv"), "13999990002,2026-08-21\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
            result = run.await(Duration.ofSeconds(90));
        }

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        assertThat(result.stdout()).as(result.describe()).contains("input a-pending.csv changed while it was audited");
        assertThat(output.resolve(DATE)).as("nothing published").doesNotExist();
    }

    @Test
    void environmentVariablesThatAreNotSettingsOfOursAreIgnoredOnlyAtTheTopLevel() {
        Map<String, String> kubernetes = Map.of("AUDIT_SERVICE_HOST", "10.0.0.7", "AUDIT_PORT", "tcp://10.0.0.7:80");

        JarRun.Result run;
        try (JarRun started = JarRun.start(dir, "kubernetes", kubernetes, with("--audit.output=" + dir.resolve("k8s")))) {
            run = started.await(JarRun.DEFAULT_TIMEOUT);
        }
        JarRun.Result misspelt;
        try (JarRun started = JarRun.start(dir, "misspelt", Map.of("AUDIT_PLATFORMS_WECHAT_ULR", "http://127.0.0.1:9"),
                with("--audit.output=" + dir.resolve("misspelt")))) {
            misspelt = started.await(JarRun.DEFAULT_TIMEOUT);
        }

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout()).contains("Environment variable for audit.service.host ignored");
        assertRefused(misspelt, "audit.platforms.wechat.ulr: unknown key (did you mean audit.platforms.wechat.url?)");
    }

    /** Starts a slow run (WeChat answers a batch of 50 every 100 ms) and kills it with {@code kill -9} once 300 rows are staged. */
    private void killMidWay(Path output, List<String> args) throws Exception {
        List<String> slow = new ArrayList<>(args);
        slow.addAll(List.of("--audit.simulator.faults.wechat.delay=100ms", "--audit.platforms.wechat.batch-size=50",
                "--audit.platforms.wechat.max-concurrency=1"));
        try (JarRun run = JarRun.start(dir, "killed", slow)) {
            awaitStaged(run, output.resolve(".incomplete").resolve(DATE).resolve("clean.csv"), 300);
            run.kill9();
        }
        assertThat(output.resolve(DATE)).as("a killed run leaves nothing under <output>/<date>/").doesNotExist();
    }

    private static void awaitStaged(JarRun run, Path csv, long rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (dataRows(csv) < rows) {
            if (!run.isAlive() || System.nanoTime() > deadline) {
                fail("the slow run ended or stalled too early\n" + run.await(Duration.ofSeconds(5)).describe());
            }
            Thread.sleep(10);
        }
    }

    private static void assertRefused(JarRun.Result result, String... mentions) {
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderrLines()).as(result.describe()).allSatisfy(line -> assertThat(line).startsWith("number-audit: "));
        assertThat(result.stderr()).as(result.describe()).contains(mentions);
    }

    private List<String> with(String... more) {
        List<String> all = new ArrayList<>(common);
        all.addAll(Arrays.asList(more));
        return all;
    }

    /** {@link #with}, with the job repository in {@code repository}. */
    private List<String> on(ScratchRepository repository, String... more) {
        List<String> all = with(more);
        all.addAll(repository.arguments());
        return all;
    }

    private static long dataRows(Path csv) throws IOException {
        return Files.exists(csv) ? Math.max(0, Files.readAllLines(csv).size() - 1) : 0;
    }

    private static Map<String, Object> snapshot(Path folder) throws IOException {
        Map<String, Object> files = new LinkedHashMap<>();
        try (Stream<Path> tree = Files.walk(folder)) {
            for (Path file : tree.filter(Files::isRegularFile).sorted().toList()) {
                files.put(folder.relativize(file).toString(), List.of(Files.readString(file, StandardCharsets.ISO_8859_1),
                        Files.getLastModifiedTime(file)));
            }
        }
        return files;
    }
}
