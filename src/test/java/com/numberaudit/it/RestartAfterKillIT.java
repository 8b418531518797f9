package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The restart promise of the operator contract, against the packaged jar: a run killed with
 * {@code kill -9} in the middle of the audit step and started again with the same command resumes
 * from its last committed chunk and ends with exactly the files an uninterrupted run writes; a
 * further run of the completed date changes nothing.
 */
@Timeout(420)
class RestartAfterKillIT {

    private static final String DATE = "2026-11-28";
    private static final long SEED = 20_261_128L;
    private static final int FILES = 2;
    private static final int ROWS_PER_FILE = 2_000;
    private static final int CHUNK_SIZE = 100;
    private static final int KILL_AFTER_CLEAN_ROWS = 200;
    private static final Duration KILL_DEADLINE = Duration.ofSeconds(90);
    private static final List<String> PLATFORMS = List.of("wechat", "qq", "alipay", "taobao", "jd", "baidu", "kuaishou",
            "douyin", "meituan", "weibo", "pinduoduo", "xiaohongshu", "didi", "ctrip", "netease", "bilibili");
    private static final List<String> RESULT_CSVS = List.of("clean.csv", "bound.csv", "undetermined.csv", "rejected.csv");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void killedRunResumesAndEndsWithTheFilesOfAnUninterruptedRun() throws Exception {
        Expected expected = generateInput(new Random(SEED));
        Path outputA = dir.resolve("output-a");
        Path outputB = dir.resolve("output-b");
        Path resultsA = outputA.resolve(DATE);
        Path resultsB = outputB.resolve(DATE);
        // The same batching in both runs; run B's only difference is a slow WeChat, so it can be caught mid-way.
        List<String> common = List.of(
                "--audit.input=" + dir.resolve("input"),
                "--audit.date=" + DATE,
                "--audit.simulator.bindings=file:" + dir.resolve("bindings.csv").toAbsolutePath(),
                "--audit.chunk-size=" + CHUNK_SIZE,
                "--audit.in-flight=300",
                "--audit.platforms.wechat.batch-size=50",
                "--audit.platforms.wechat.max-concurrency=1");
        List<String> runA = with(common, "--audit.output=" + outputA);
        List<String> runB = with(common, "--audit.output=" + outputB, "--audit.simulator.faults.wechat.delay=100ms");

        // A: uninterrupted
        long start = System.nanoTime();
        JarRun.Result a = JarRun.run(dir, "a", runA);
        long runAMillis = millisSince(start);
        assertThat(a.exitCode()).as(a.describe()).isZero();
        assertMatchesModel(resultsA, expected);

        // B, first attempt: kill -9 once a few hundred rows are committed, well before the end
        start = System.nanoTime();
        JarRun.Result killed;
        long cleanRowsSeen;
        try (JarRun b = JarRun.start(dir, "b1-killed", runB)) {
            cleanRowsSeen = awaitProgress(b, resultsB);
            assertThat(resultsB.resolve("summary.json")).as("B must still be running when killed").doesNotExist();
            killed = b.kill9();
        }
        long untilKillMillis = millisSince(start);
        assertThat(killed.exitCode()).as("killed with SIGKILL\n" + killed.describe()).isNotZero();
        assertThat(resultsB.resolve("summary.json")).doesNotExist();
        long cleanRowsAtKill = dataRows(resultsB.resolve("clean.csv"));
        assertThat(cleanRowsAtKill).as("B was killed mid-way").isGreaterThanOrEqualTo(cleanRowsSeen)
                .isLessThan(dataRows(resultsA.resolve("clean.csv")));
        long rowsAtKill = 0;
        for (String csv : RESULT_CSVS) {
            // what a killed run leaves is incomplete, never different
            assertThat(bytes(resultsA.resolve(csv))).as("%s of the killed run is a prefix of A's", csv)
                    .startsWith(bytes(resultsB.resolve(csv)));
            rowsAtKill += dataRows(resultsB.resolve(csv));
        }

        // B, the same command again: resumes and completes
        start = System.nanoTime();
        JarRun.Result resumed = JarRun.run(dir, "b2-resumed", runB);
        long resumeMillis = millisSince(start);
        assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
        assertThat(resumed.stdout()).as(resumed.describe())
                .contains("was interrupted while STARTED").contains("resuming it")
                .contains("Results: " + resultsB.toAbsolutePath().normalize());
        for (String csv : RESULT_CSVS) {
            assertThat(bytes(resultsB.resolve(csv))).as("%s of the resumed run B equals A's", csv)
                    .isEqualTo(bytes(resultsA.resolve(csv)));
        }
        JsonNode summaryA = JSON.readTree(Files.readString(resultsA.resolve("summary.json")));
        JsonNode summaryB = JSON.readTree(Files.readString(resultsB.resolve("summary.json")));
        assertThat(summaryB).as("summary.json of B equals A's").isEqualTo(summaryA);
        assertRowsInEqualRowsOut(resultsB, summaryB, expected);

        // B, a third time: already completed, nothing touched
        Map<String, Object> before = snapshot(resultsB);
        start = System.nanoTime();
        JarRun.Result again = JarRun.run(dir, "b3-again", runB);
        long againMillis = millisSince(start);
        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(again.stdout()).as(again.describe()).contains("already completed");
        assertThat(snapshot(resultsB)).as("a run of a completed date changes nothing").isEqualTo(before);

        long committedBeforeKill = assertResumedFromTheLastCommit(outputB, expected.dataRows(), rowsAtKill);

        System.out.printf("RestartAfterKillIT: %d input rows; run A %d ms; run B killed after %d ms with %d rows "
                        + "(%d clean) in its files, %d rows committed (exit %d); resumed run %d ms; third run %d ms%n",
                expected.dataRows(), runAMillis, untilKillMillis, rowsAtKill, cleanRowsAtKill, committedBeforeKill,
                killed.exitCode(), resumeMillis, againMillis);
    }

    /** Polls (bounded) until B has written at least {@link #KILL_AFTER_CLEAN_ROWS} clean rows; fails if B ends first. */
    private long awaitProgress(JarRun b, Path results) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + KILL_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!b.isAlive()) {
                fail("run B ended before it could be killed; make the slow platform slower.\n" + b.await(Duration.ofSeconds(5)).describe());
            }
            long clean = dataRows(results.resolve("clean.csv"));
            if (clean >= KILL_AFTER_CLEAN_ROWS) {
                return clean;
            }
            Thread.sleep(10);
        }
        return fail("run B wrote fewer than %d clean rows within %s", KILL_AFTER_CLEAN_ROWS, KILL_DEADLINE);
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
     * Reads B's job repository (H2 file, after the last run has exited): the killed execution
     * committed the chunks whose rows were in the files when it died (all but at most the one chunk
     * whose commit the kill cut short), the resumed one read and wrote only the rest, and the run
     * of the completed date added no execution.
     *
     * @param rowsAtKill data rows in the four files right after the kill (written before each commit)
     * @return the rows the killed run had committed
     */
    private static long assertResumedFromTheLastCommit(Path output, long dataRows, long rowsAtKill) throws SQLException {
        String url = "jdbc:h2:file:" + output.resolve("job-repository").resolve("number-audit").toAbsolutePath()
                + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r";
        List<long[]> audit = new ArrayList<>();
        List<String> jobStatuses = new ArrayList<>();
        // the application sets no datasource user, so H2 created the database for the empty user name
        try (Connection db = DriverManager.getConnection(url, "", "");
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
        assertThat(jobStatuses).as("job executions: the killed one, then the resumed one").hasSize(2).last().isEqualTo("COMPLETED");
        assertThat(audit).as("audit step executions").hasSize(2);
        long committedBeforeKill = audit.get(0)[1];
        long readAfterRestart = audit.get(1)[0];
        long writtenAfterRestart = audit.get(1)[1];
        assertThat(committedBeforeKill).as("rows committed before the kill, with %d rows in the files", rowsAtKill)
                .isPositive().isLessThan(dataRows)
                .isBetween(rowsAtKill - CHUNK_SIZE, rowsAtKill);
        assertThat(readAfterRestart).as("the resumed run reads only the rows after the last commit")
                .isEqualTo(dataRows - committedBeforeKill);
        assertThat(writtenAfterRestart).isEqualTo(dataRows - committedBeforeKill);
        return committedBeforeKill;
    }

    /**
     * Writes {@code input/pending-1.csv} and {@code pending-2.csv} (2 x 2,000 data rows: mostly
     * valid mobile numbers, ~3 % repeats in other notations, ~3 % invalid values, a blank line
     * each; the second file has its columns the other way round) and {@code bindings.csv} (~10 %
     * of the numbers BOUND on one or two platforms, ~3 % SILENT on one), and returns what the
     * result files must hold.
     */
    private Expected generateInput(Random random) throws IOException {
        Path input = Files.createDirectories(dir.resolve("input"));
        String[] prefixes = {"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
                "150", "151", "152", "153", "155", "156", "157", "158", "159",
                "180", "181", "182", "183", "184", "185", "186", "187", "188", "189"};
        List<String> numbers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        StringBuilder bindings = new StringBuilder("number,platform,status,accounts\n");
        StringBuilder clean = new StringBuilder("number,cancelled_on\n");
        StringBuilder bound = new StringBuilder("number,cancelled_on,platforms\n");
        StringBuilder undetermined = new StringBuilder("number,cancelled_on,platforms,reason\n");
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
                            on.add(PLATFORMS.get(random.nextInt(PLATFORMS.size())));
                        }
                        for (String platform : on) {
                            bindings.append(number).append(',').append(platform).append(",BOUND,").append(1 + random.nextInt(3)).append('\n');
                        }
                        bound.append(number).append(',').append(cancelledOn).append(',').append(String.join(";", on)).append('\n');
                    } else if (binding < 0.13) {
                        String platform = PLATFORMS.get(random.nextInt(PLATFORMS.size()));
                        bindings.append(number).append(',').append(platform).append(",SILENT,\n");
                        undetermined.append(number).append(',').append(cancelledOn).append(',').append(platform)
                                .append(',').append(platform).append(":MISSING_ID\n");
                    } else {
                        clean.append(number).append(',').append(cancelledOn).append('\n');
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

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(Arrays.asList(more));
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

    /** Name, content and modification time of every file in the results folder. */
    private static Map<String, Object> snapshot(Path results) throws IOException {
        Map<String, Object> files = new LinkedHashMap<>();
        try (var list = Files.list(results)) {
            for (Path file : list.sorted().toList()) {
                FileTime modified = Files.getLastModifiedTime(file);
                files.put(file.getFileName().toString(),
                        List.of(new String(bytes(file), StandardCharsets.ISO_8859_1), modified));
            }
        }
        return files;
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
