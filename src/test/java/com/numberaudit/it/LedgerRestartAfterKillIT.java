package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import testsupport.jdbc.PausingDriver;

import com.numberaudit.AuditOutput;
import com.numberaudit.SampleInput;

/**
 * {@code kill -9} in the middle of a night that re-audits what the night before held, placed by
 * {@link PausingDriver} in the commit of a chunk of held numbers: the same command resumes it, its
 * result files are those of an uninterrupted night byte for byte (every row once), and the ledger
 * agrees with them: the night's trail has exactly the files' numbers with the files' verdicts, the
 * numbers held are exactly those the files hold back, with the night their hold began, and no
 * number counts a night twice; the ledger equals the uninterrupted night's.
 */
@Timeout(600)
class LedgerRestartAfterKillIT {

    private static final String NIGHT_1 = "2026-11-28";
    private static final String NIGHT_2 = "2026-11-29";
    private static final int CHUNK_SIZE = 100;
    /** Night 2 reads 660 input rows (chunks 1 to 7), then the held numbers: chunk 9 is all held numbers. */
    private static final int PAUSED_CHUNK = 9;
    private static final int KILLED = 137;

    @TempDir
    Path dir;

    @Test
    void aNightKilledWhileReauditingResumesToTheFilesAndTheLedgerOfAnUninterruptedNight() throws Exception {
        List<String> numbers = SampleInput.mobileNumbers(2_000, 1129);
        Path reference = dir.resolve("reference");
        JarRun.Result first = JarRun.run(dir, "night-1", command(reference, NIGHT_1, input(NIGHT_1, numbers.subList(0, 1_200)),
                bindings(NIGHT_1, numbers, 4, 7)));
        assertThat(first.exitCode()).as(first.describe()).isZero();
        int held = new LedgerRows(reference).numbers().size();
        assertThat(held).as("numbers night 1 held").isBetween(350, 500);
        Path killed = copy(reference, dir.resolve("killed"));

        List<String> tonight = new ArrayList<>(numbers.subList(1_200, 1_800));
        for (int i = 0; i < 240; i += 4) {
            tonight.add(numbers.get(i)); // held numbers the input lists again: each is still audited once
        }
        Path input2 = input(NIGHT_2, tonight);
        Path bindings2 = bindings(NIGHT_2, numbers, 8, 14);
        JarRun.Result uninterrupted = JarRun.run(dir, "night-2-reference", command(reference, NIGHT_2, input2, bindings2));
        assertThat(uninterrupted.exitCode()).as(uninterrupted.describe()).isZero();

        JarRun.Result kill;
        List<String> command = command(killed, NIGHT_2, input2, bindings2);
        List<String> paused = new ArrayList<>(command);
        paused.add("--spring.datasource.url=jdbc:pausing:" + JarRun.defaultRepositoryUrl(killed));
        paused.add("--spring.datasource.driver-class-name=" + PausingDriver.class.getName());
        try (JarRun run = JarRun.startWithLoaderPath(dir, "night-2-killed", JarRun.testDrivers(dir),
                List.of(PausingDriver.CHUNK + "=" + PAUSED_CHUNK, PausingDriver.MOMENT + "=" + PausingDriver.BEFORE_COMMIT), paused)) {
            run.awaitLine(PausingDriver.MARKER + PausingDriver.BEFORE_COMMIT + " of chunk " + PAUSED_CHUNK, JarRun.DEFAULT_TIMEOUT);
            kill = run.kill9();
        }
        assertThat(kill.exitCode()).as(kill.describe()).isEqualTo(KILLED);
        assertThat(killed.resolve(NIGHT_2)).as("nothing final-looking after a kill").doesNotExist();

        JarRun.Result resumed = JarRun.run(dir, "night-2-resumed", command);

        assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
        assertThat(resumed.stdout()).contains("resuming it");
        AuditOutput files = new AuditOutput(killed.resolve(NIGHT_2));
        for (String file : AuditOutput.FILES) {
            assertThat(files.folder().resolve(file)).hasSameBinaryContentAs(reference.resolve(NIGHT_2).resolve(file));
        }
        assertThat(files.dataRows()).as("input rows and held numbers, each once").isEqualTo(tonight.size() + held - 60);
        assertLedgerAgreesWithTheFiles(new LedgerRows(killed), files);
        assertThat(new LedgerRows(killed).numbers()).as("the ledger of the uninterrupted night")
                .isEqualTo(new LedgerRows(reference).numbers());
        assertThat(new LedgerRows(killed).trail(NIGHT_2)).isEqualTo(new LedgerRows(reference).trail(NIGHT_2));
    }

    private static void assertLedgerAgreesWithTheFiles(LedgerRows ledger, AuditOutput files) throws Exception {
        Map<String, String> verdicts = new HashMap<>();
        Map<String, String> heldSince = new HashMap<>();
        for (String file : List.of("clean.csv", "bound.csv", "undetermined.csv")) {
            String state = file.substring(0, file.indexOf('.')).toUpperCase();
            for (List<String> row : files.rows(file)) {
                assertThat(verdicts.put(row.get(0), state)).as("%s written twice", row.get(0)).isNull();
                heldSince.put(row.get(0), row.get(row.size() - 1));
            }
        }
        assertThat(ledger.trail(NIGHT_2)).as("the night's trail: the files' numbers, with the files' verdicts").isEqualTo(verdicts);
        Map<String, LedgerRows.Held> numbers = ledger.numbers();
        for (Map.Entry<String, String> verdict : verdicts.entrySet()) {
            LedgerRows.Held row = numbers.get(verdict.getKey());
            String since = heldSince.get(verdict.getKey());
            if (verdict.getValue().equals("CLEAN")) {
                assertThat(row).as("%s is clean in the files: the ledger does not hold it", verdict.getKey()).isNull();
            } else {
                assertThat(row).as("%s is held in the files", verdict.getKey()).isNotNull();
                assertThat(row.state()).isEqualTo(verdict.getValue());
                assertThat(row.heldSince()).as("the night %s's hold began", verdict.getKey()).isEqualTo(since.isEmpty() ? NIGHT_2 : since);
                assertThat(row.nights()).as("nights %s was checked: the killed chunk's not counted twice", verdict.getKey())
                        .isEqualTo(since.isEmpty() ? 1 : 2);
            }
        }
        assertThat(numbers.values().stream().filter(row -> !row.heldSince().isEmpty()).count())
                .as("the ledger holds exactly what the files hold back")
                .isEqualTo(files.rows("bound.csv").size() + files.rows("undetermined.csv").size());
    }

    private List<String> command(Path output, String date, Path input, Path bindings) {
        return List.of("--audit.input=" + input, "--audit.output=" + output, "--audit.date=" + date,
                "--audit.simulator.bindings=file:" + bindings, "--audit.chunk-size=" + CHUNK_SIZE, "--audit.in-flight=300");
    }

    private Path input(String date, List<String> numbers) throws IOException {
        return SampleInput.writeInput(dir.resolve("input-" + date).resolve("pending.csv"), numbers);
    }

    /** Every {@code boundEvery}-th number bound on wechat, every {@code silentEvery}-th unanswered by jd, every 5th new one bound on qq. */
    private Path bindings(String date, List<String> numbers, int boundEvery, int silentEvery) throws IOException {
        StringBuilder csv = new StringBuilder("number,platform,status,accounts\n");
        for (int i = 0; i < numbers.size(); i++) {
            if (i % boundEvery == 0) {
                csv.append(numbers.get(i)).append(",wechat,BOUND,1\n");
            }
            if (i % silentEvery == 0) {
                csv.append(numbers.get(i)).append(",jd,SILENT,\n");
            }
            if (i >= 1_200 && i % 5 == 0) {
                csv.append(numbers.get(i)).append(",qq,BOUND,1\n");
            }
        }
        return Files.writeString(dir.resolve("bindings-" + date + ".csv"), csv, StandardCharsets.UTF_8);
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path path : tree.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
