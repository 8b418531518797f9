package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import testsupport.db.OnH2AndPostgreSQL;
import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;
import testsupport.jdbc.PausingDriver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.SampleInput;

/**
 * The restart promise of the operator contract, against the packaged jar, at the two moments of a
 * chunk's commit where a crash matters: {@code kill -9} when the chunk's rows are in the staged
 * files but its commit is not done, and right after its commit, before anything of the next chunk
 * is written. Each time, nothing final-looking is left; the same command, started again, resumes
 * after the last committed chunk (the files cut back to it) and ends with exactly the files of an
 * uninterrupted run; a further run of the completed date changes nothing.
 * <p>
 * The kills are placed by {@link PausingDriver}, a test-only JDBC driver put under the real jar on
 * Spring Boot's {@code loader.path}: it blocks in the commit of chunk {@value #PAUSED_CHUNK}. The
 * restart goes without it, to the same job repository: the default H2 file, or a PostgreSQL schema.
 */
@Timeout(420)
class RestartAfterKillIT {

    private static final String DATE = "2026-11-28";
    private static final long SEED = 20_261_128L;
    private static final int FILES = 2;
    private static final int ROWS_PER_FILE = 2_000;
    private static final int CHUNK_SIZE = 100;
    private static final int PAUSED_CHUNK = 7;
    /** What {@link Process#exitValue()} says of a process ended by SIGKILL. */
    private static final int KILLED = 137;
    private static final List<String> RESULT_CSVS = List.of("clean.csv", "bound.csv", "undetermined.csv", "rejected.csv");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    private static Expected expected;
    private static Path referenceResults;
    private static long referenceMillis;

    @BeforeAll
    static void uninterruptedRun() throws IOException {
        expected = generateInput(new Random(SEED));
        Path output = dir.resolve("output-reference");
        long start = System.nanoTime();
        JarRun.Result reference = JarRun.run(dir, "reference", command(output));
        referenceMillis = millisSince(start);
        assertThat(reference.exitCode()).as(reference.describe()).isZero();
        referenceResults = output.resolve(DATE);
        assertMatchesModel(referenceResults, expected);
    }

    @OnH2AndPostgreSQL
    void killedInsideTheCommitOfAChunkResumesAfterThePreviousChunk(RepositoryDatabase database) throws Exception {
        killPausedRunAndResume(database, PausingDriver.BEFORE_COMMIT, (PAUSED_CHUNK - 1) * CHUNK_SIZE);
    }

    @OnH2AndPostgreSQL
    void killedRightAfterTheCommitOfAChunkResumesAfterThatChunk(RepositoryDatabase database) throws Exception {
        killPausedRunAndResume(database, PausingDriver.AFTER_COMMIT, PAUSED_CHUNK * CHUNK_SIZE);
    }

    /**
     * @param moment    where in the commit of chunk {@link #PAUSED_CHUNK} the first attempt is killed
     * @param committed the rows the job repository holds as committed when it is killed
     */
    private void killPausedRunAndResume(RepositoryDatabase database, String moment, long committed) throws Exception {
        Path output = dir.resolve("output-" + moment + "-" + database.name());
        try (ScratchRepository repository = database.scratch(output)) {
            killPausedRunAndResume(repository, output, moment, committed);
        }
    }

    private void killPausedRunAndResume(ScratchRepository repository, Path output, String moment, long committed) throws Exception {
        Path results = output.resolve(DATE);
        Path staging = output.resolve(".incomplete").resolve(DATE);
        List<String> command = with(command(output), repository.arguments());
        String name = moment + "-" + repository.database().name();

        // first attempt: the same command, its job repository reached through the pausing driver; killed where it blocks
        long start = System.nanoTime();
        JarRun.Result killed;
        try (JarRun paused = JarRun.startWithLoaderPath(dir, name + "-1-killed", JarRun.testDrivers(dir),
                List.of(PausingDriver.CHUNK + "=" + PAUSED_CHUNK, PausingDriver.MOMENT + "=" + moment),
                with(command(output), repository.argumentsThrough("jdbc:pausing:", PausingDriver.class)))) {
            paused.awaitLine(PausingDriver.MARKER + moment + " of chunk " + PAUSED_CHUNK, JarRun.DEFAULT_TIMEOUT);
            killed = paused.kill9();
        }
        long untilKillMillis = millisSince(start);
        assertThat(killed.exitCode()).as("killed with SIGKILL\n" + killed.describe()).isEqualTo(KILLED);

        // what the kill left: nothing final-looking; the staged files hold the chunks written so far, a prefix of the reference
        assertThat(results).as("no results folder after a kill").doesNotExist();
        assertThat(staging.resolve("summary.json")).doesNotExist();
        long staged = 0;
        for (String csv : RESULT_CSVS) {
            assertSameBytes(staging.resolve(csv), referenceResults.resolve(csv), true);
            staged += dataRows(staging.resolve(csv));
        }
        assertThat(staged).as("rows staged when killed %s of chunk %d", moment, PAUSED_CHUNK).isEqualTo(PAUSED_CHUNK * CHUNK_SIZE);

        // the same command again, as an operator types it: resumes and completes
        start = System.nanoTime();
        JarRun.Result resumed = JarRun.run(dir, name + "-2-resumed", command);
        long resumeMillis = millisSince(start);
        assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
        assertThat(resumed.stdout()).as(resumed.describe())
                .contains("was interrupted while STARTED").contains("resuming it")
                .contains("Results: " + results.toAbsolutePath().normalize());
        assertThat(staging).as("the staging folder became the results folder").doesNotExist();
        for (String csv : RESULT_CSVS) {
            assertSameBytes(results.resolve(csv), referenceResults.resolve(csv), false);
        }
        JsonNode summary = JSON.readTree(Files.readString(results.resolve("summary.json")));
        JsonNode referenceSummary = JSON.readTree(Files.readString(referenceResults.resolve("summary.json")));
        assertThat(SummaryCounts.of(summary)).as("summary.json's counts equal the reference's, each platform's unanswered numbers "
                + "by reason too").isEqualTo(SummaryCounts.of(referenceSummary));
        assertThat(summary.get("executions").asInt()).as("the killed execution and the resumed one").isEqualTo(2);
        Map<String, Integer> servedAfterRestart = resumed.servedRequests();
        summary.get("platforms").properties().forEach(platform -> assertThat(platform.getValue().get("requests").asLong())
                .as("%s: the requests of the killed execution up to its last commit, and the resumed one's", platform.getKey())
                .isGreaterThan(servedAfterRestart.get(platform.getKey())));
        assertRowsInEqualRowsOut(results, summary, expected);
        assertThat(notices(results)).as("the platforms' notices, built from the resumed night's bound.csv")
                .isEqualTo(notices(referenceResults)).isNotEmpty();

        // a third time: already completed, nothing touched
        Map<String, Object> before = snapshot(results);
        start = System.nanoTime();
        JarRun.Result again = JarRun.run(dir, name + "-3-again", command);
        long againMillis = millisSince(start);
        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(again.stdout()).as(again.describe()).contains("already completed");
        assertThat(snapshot(results)).as("a run of a completed date changes nothing").isEqualTo(before);

        assertResumedAfter(repository, committed);

        System.out.printf("RestartAfterKillIT [%s] %s: %d input rows; reference run %d ms; killed %s of chunk %d after %d ms "
                        + "with %d rows staged and %d committed; resumed run %d ms; third run %d ms%n",
                repository.database(), moment, expected.dataRows(), referenceMillis, moment, PAUSED_CHUNK, untilKillMillis, staged, committed,
                resumeMillis, againMillis);
    }

    /** The same batching in every run; only the output folder differs. */
    private static List<String> command(Path output) {
        return List.of(
                "--audit.input=" + dir.resolve("input"),
                "--audit.output=" + output,
                "--audit.date=" + DATE,
                "--audit.simulator.bindings=file:" + dir.resolve("bindings.csv").toAbsolutePath(),
                "--audit.chunk-size=" + CHUNK_SIZE,
                "--audit.in-flight=300");
    }

    /**
     * {@code actual} holds the bytes of {@code reference} (or, with {@code prefix}, their beginning);
     * a failure names the first line that differs rather than printing both files.
     */
    private static void assertSameBytes(Path actual, Path reference, boolean prefix) throws IOException {
        byte[] have = bytes(actual);
        byte[] want = bytes(reference);
        int length = prefix ? Math.min(have.length, want.length) : Math.max(have.length, want.length);
        int at = Arrays.mismatch(have, 0, Math.min(have.length, length), want, 0, Math.min(want.length, length));
        if (at < 0 && (prefix ? have.length <= want.length : have.length == want.length)) {
            return;
        }
        at = at < 0 ? Math.min(have.length, want.length) : at;
        int lineStart = at;
        while (lineStart > 0 && have[lineStart - 1] != '\n') {
            lineStart--;
        }
        long line = 1;
        for (int i = 0; i < lineStart; i++) {
            line += have[i] == '\n' ? 1 : 0;
        }
        fail("%s is not %s %s: line %d is \"%s\" there, \"%s\" in the reference (%d data rows there, %d in the reference)",
                actual, prefix ? "a beginning of" : "byte for byte", reference, line, lineAt(have, lineStart),
                lineAt(want, lineStart), dataRows(actual), dataRows(reference));
    }

    private static String lineAt(byte[] content, int start) {
        if (start >= content.length) {
            return "(end of file)";
        }
        int end = start;
        while (end < content.length && content[end] != '\n') {
            end++;
        }
        return new String(content, start, end - start, StandardCharsets.UTF_8);
    }

    /** The result files hold exactly what the seeded input and bindings call for. */
    private static void assertMatchesModel(Path results, Expected expected) throws IOException {
        assertThat(Files.readString(results.resolve("clean.csv"))).isEqualTo(expected.clean());
        assertThat(Files.readString(results.resolve("bound.csv"))).isEqualTo(expected.bound());
        assertThat(Files.readString(results.resolve("undetermined.csv"))).isEqualTo(expected.undetermined());
        List<String> rejected = Files.readAllLines(results.resolve("rejected.csv"));
        assertThat(rejected.get(0)).isEqualTo("file,line,value,reason");
        List<String> rejectedAt = new ArrayList<>();
        List<String> duplicatesAt = new ArrayList<>();
        for (String row : rejected.subList(1, rejected.size())) {
            String[] fields = row.split(",");
            rejectedAt.add(fields[0] + ":" + fields[1]);
            if (fields[fields.length - 1].equals("DUPLICATE")) {
                duplicatesAt.add(fields[0] + ":" + fields[1]);
            }
        }
        assertThat(rejectedAt).isEqualTo(expected.rejectedAt());
        assertThat(duplicatesAt).isEqualTo(expected.duplicatesAt());
    }

    /** Rows in = rows out, each number once, and summary.json agrees with the files. */
    private static void assertRowsInEqualRowsOut(Path results, JsonNode summary, Expected expected) throws IOException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String csv : RESULT_CSVS) {
            rows.put(csv, dataRows(results.resolve(csv)));
        }
        assertThat(rows.values().stream().mapToLong(Long::longValue).sum())
                .as("data rows of the input = data rows of the four files %s", rows).isEqualTo(expected.dataRows());
        assertThat(summary.get("rows").asLong()).isEqualTo(expected.dataRows());
        assertThat(summary.get("clean").asLong()).isEqualTo(rows.get("clean.csv"));
        assertThat(summary.get("bound").asLong()).isEqualTo(rows.get("bound.csv"));
        assertThat(summary.get("undetermined").asLong()).isEqualTo(rows.get("undetermined.csv"));
        assertThat(summary.get("rejected").asLong()).isEqualTo(rows.get("rejected.csv"));
        Set<String> numbers = new HashSet<>();
        for (String csv : List.of("clean.csv", "bound.csv", "undetermined.csv")) {
            List<String> lines = Files.readAllLines(results.resolve(csv));
            for (String row : lines.subList(1, lines.size())) {
                String number = row.substring(0, row.indexOf(','));
                assertThat(numbers.add(number)).as("%s appears twice across clean/bound/undetermined", number).isTrue();
            }
        }
    }

    /**
     * Reads the job repository (after the last run has exited): the killed execution had committed
     * exactly {@code committed} rows, the resumed one read and wrote only the rest, and the run of
     * the completed date added no execution.
     */
    private static void assertResumedAfter(ScratchRepository repository, long committed) throws SQLException {
        List<long[]> audit = new ArrayList<>();
        List<String> jobStatuses = new ArrayList<>();
        try (Connection db = repository.connect();
             Statement sql = db.createStatement()) {
            try (ResultSet rs = sql.executeQuery("select STATUS from BATCH_JOB_EXECUTION order by JOB_EXECUTION_ID")) {
                while (rs.next()) {
                    jobStatuses.add(rs.getString(1));
                }
            }
            try (ResultSet rs = sql.executeQuery("select READ_COUNT, WRITE_COUNT from BATCH_STEP_EXECUTION "
                    + "where STEP_NAME = 'audit' order by STEP_EXECUTION_ID")) {
                while (rs.next()) {
                    audit.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        assertThat(jobStatuses).as("job executions: the killed one, then the resumed one").containsExactly("FAILED", "COMPLETED");
        assertThat(audit).as("audit step executions").hasSize(2);
        assertThat(audit.get(0)[1]).as("rows the killed execution committed").isEqualTo(committed);
        assertThat(audit.get(1)[0]).as("rows the resumed execution read: those after the last commit")
                .isEqualTo(expected.dataRows() - committed);
        assertThat(audit.get(1)[1]).as("rows the resumed execution wrote").isEqualTo(expected.dataRows() - committed);
    }

    /**
     * Writes {@code input/pending-1.csv} and {@code pending-2.csv} (2 x 2,000 data rows: mostly
     * valid mobile numbers, ~3 % repeats in other notations, ~3 % invalid values, a blank line
     * each; the second file has its columns the other way round) and {@code bindings.csv} (~10 %
     * of the numbers BOUND on one or two platforms, ~3 % SILENT on one), and returns what the
     * result files must hold.
     */
    private static Expected generateInput(Random random) throws IOException {
        Path input = Files.createDirectories(dir.resolve("input"));
        String[] prefixes = {"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
                "150", "151", "152", "153", "155", "156", "157", "158", "159",
                "180", "181", "182", "183", "184", "185", "186", "187", "188", "189"};
        List<String> numbers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        StringBuilder bindings = new StringBuilder("number,platform,status,accounts\n");
        StringBuilder clean = new StringBuilder("number,cancelled_on,held_since\n");
        StringBuilder bound = new StringBuilder("number,cancelled_on,platforms,held_since\n");
        StringBuilder undetermined = new StringBuilder("number,cancelled_on,platforms,reason,held_since\n");
        List<String> rejectedAt = new ArrayList<>();
        List<String> duplicatesAt = new ArrayList<>();
        int dataRows = 0;
        for (int f = 1; f <= FILES; f++) {
            String name = "pending-" + f + ".csv";
            boolean numberFirst = f == 1;
            StringBuilder csv = new StringBuilder(numberFirst ? "number,cancelled_on\n" : "cancelled_on,number\n");
            int line = 1;
            int blankBefore = 1 + random.nextInt(ROWS_PER_FILE - 1);
            for (int row = 0; row < ROWS_PER_FILE; row++) {
                if (row == blankBefore) {
                    csv.append(f == 1 ? "\n" : "   \n");
                    line++;
                }
                line++;
                dataRows++;
                String cancelledOn = String.format("2026-08-%02d", 1 + random.nextInt(28));
                double kind = random.nextDouble();
                String value;
                if (kind < 0.03 && !numbers.isEmpty()) {
                    value = otherNotation(numbers.get(random.nextInt(numbers.size())), random);
                    rejectedAt.add(name + ":" + line);
                    duplicatesAt.add(name + ":" + line);
                } else if (kind < 0.06) {
                    value = invalidValue(random);
                    rejectedAt.add(name + ":" + line);
                } else {
                    String number;
                    do {
                        number = prefixes[random.nextInt(prefixes.length)] + String.format("%08d", random.nextInt(100_000_000));
                    } while (!seen.add(number));
                    numbers.add(number);
                    value = number;
                    double binding = random.nextDouble();
                    if (binding < 0.10) {
                        Set<String> on = new TreeSet<>();
                        int count = 1 + random.nextInt(2);
                        while (on.size() < count) {
                            on.add(SampleInput.SHIPPED_PLATFORMS.get(random.nextInt(SampleInput.SHIPPED_PLATFORMS.size())));
                        }
                        for (String platform : on) {
                            bindings.append(number).append(',').append(platform).append(",BOUND,").append(1 + random.nextInt(3)).append('\n');
                        }
                        bound.append(number).append(',').append(cancelledOn).append(',').append(String.join(";", on)).append(",\n");
                    } else if (binding < 0.13) {
                        String platform = SampleInput.SHIPPED_PLATFORMS.get(random.nextInt(SampleInput.SHIPPED_PLATFORMS.size()));
                        bindings.append(number).append(',').append(platform).append(",SILENT,\n");
                        undetermined.append(number).append(',').append(cancelledOn).append(',').append(platform)
                                .append(',').append(platform).append(":MISSING_ID,\n");
                    } else {
                        clean.append(number).append(',').append(cancelledOn).append(",\n");
                    }
                }
                csv.append(numberFirst ? value + "," + cancelledOn : cancelledOn + "," + value).append('\n');
            }
            Files.writeString(input.resolve(name), csv, StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("bindings.csv"), bindings, StandardCharsets.UTF_8);
        return new Expected(dataRows, clean.toString(), bound.toString(), undetermined.toString(), rejectedAt, duplicatesAt);
    }

    /** The same number as operators also write it. */
    private static String otherNotation(String number, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> number;
            case 1 -> "+86" + number;
            case 2 -> "+86 " + number.substring(0, 3) + " " + number.substring(3, 7) + " " + number.substring(7);
            default -> "0086-" + number.substring(0, 3) + "-" + number.substring(3, 7) + "-" + number.substring(7);
        };
    }

    private static String invalidValue(Random random) {
        String digits = String.format("%08d", random.nextInt(100_000_000));
        return switch (random.nextInt(6)) {
            case 0 -> "";                           // empty
            case 1 -> "138" + digits.substring(1);  // 10 digits
            case 2 -> "139" + digits + "7";         // 12 digits
            case 3 -> "not-a-number";
            case 4 -> "010-" + digits;              // a Beijing fixed line
            default -> "12345";
        };
    }

    private record Expected(int dataRows, String clean, String bound, String undetermined, List<String> rejectedAt,
                            List<String> duplicatesAt) {
    }

    private static List<String> with(List<String> args, List<String> more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(more);
        return all;
    }

    /** Data rows of a result file (lines after the header); 0 while it does not exist yet. */
    private static long dataRows(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            return 0;
        }
        long lines = 0;
        for (byte b : Files.readAllBytes(csv)) {
            if (b == '\n') {
                lines++;
            }
        }
        return Math.max(0, lines - 1);
    }

    private static byte[] bytes(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    /** Path, content and modification time of every file in the results folder and below. */
    private static Map<String, Object> snapshot(Path results) throws IOException {
        Map<String, Object> files = new LinkedHashMap<>();
        try (var tree = Files.walk(results)) {
            for (Path file : tree.filter(Files::isRegularFile).sorted().toList()) {
                FileTime modified = Files.getLastModifiedTime(file);
                files.put(results.relativize(file).toString(),
                        List.of(new String(bytes(file), StandardCharsets.ISO_8859_1), modified));
            }
        }
        return files;
    }

    /** File name and content of every notice of a night. */
    private static Map<String, String> notices(Path results) throws IOException {
        Map<String, String> notices = new LinkedHashMap<>();
        try (var list = Files.list(results.resolve("notices"))) {
            for (Path file : list.sorted().toList()) {
                notices.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return notices;
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
