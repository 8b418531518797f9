package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.SampleInput;
import com.numberaudit.AuditOutput;
import com.numberaudit.demo.BindingCheckSimulator;

/**
 * Chaos against the packaged jar: platforms that fail now and then (503s, 429s with
 * {@code Retry-After}, one that leaves ids out, one that is slow) and a run killed with
 * {@code kill -9} at seeded moments, started again with the same command each time until it
 * exits 0. Whatever the kills hit, the end must hold the one rule and the row promise: every input
 * row in exactly one result file, once; no number clean that the fault-free reference does not
 * call clean; every number that every platform answered with the reference's verdict; undetermined
 * only where the dropping platform left a number out.
 * <p>
 * The kill moments are seeded: a first kill a seeded time after start (start-up, or the first
 * chunks), then kills once the staged files hold a seeded number of rows, plus a seeded delay so
 * they land anywhere in a chunk (reading, asking, writing or committing).
 */
@Tag("long")
@Timeout(300)
class ChaosRestartIT {

    private static final String DATE = "2026-11-28";
    private static final long SEED = 20_261_129L;
    private static final int ROWS_PER_FILE = 1_500;
    private static final int CHUNK_SIZE = 50;
    private static final int KILLS = 7;
    private static final int MAX_FINAL_ATTEMPTS = 3;
    /** What {@link Process#exitValue()} says of a process ended by SIGKILL. */
    private static final int KILLED = 137;
    private static final Duration KILL_DEADLINE = Duration.ofSeconds(90);
    private static final String DROPPING = "douyin";
    private static final double DROP_RATE = 0.03;
    private static final List<String> VERDICT_FILES = List.of("clean.csv", "bound.csv", "undetermined.csv");
    private static final String[] PREFIXES = {"130", "133", "135", "137", "138", "139", "150", "151", "158", "186", "188"};
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The faults of the chaos run, each recoverable but one: qq answers 20 % of requests 503 and
     * wechat 20 % 429 with {@code Retry-After: 1} (both with retries to spare, and qq's circuit
     * opening only if every request of its window fails); douyin leaves 3 % of the ids out of its
     * answers (the same ids every time); meituan takes 100 ms a request, 25 ids at a time, one at a
     * time, so the run lasts long enough to be killed often.
     */
    private static final List<String> FAULTS = List.of(
            "--audit.simulator.faults.qq.error-status=503",
            "--audit.simulator.faults.qq.error-rate=0.2",
            "--audit.platforms.qq.batch-size=50",
            "--audit.platforms.qq.retry.max-attempts=12",
            "--audit.platforms.qq.retry.max-backoff=1s",
            "--audit.platforms.qq.circuit-breaker.failure-rate=100",
            "--audit.simulator.faults.wechat.error-status=429",
            "--audit.simulator.faults.wechat.error-rate=0.2",
            "--audit.simulator.faults.wechat.retry-after=1s",
            "--audit.platforms.wechat.batch-size=50",
            "--audit.platforms.wechat.retry.max-attempts=12",
            "--audit.simulator.faults." + DROPPING + ".drop-rate=" + DROP_RATE,
            "--audit.simulator.faults.meituan.delay=100ms",
            "--audit.platforms.meituan.batch-size=25",
            "--audit.platforms.meituan.max-concurrency=1");

    @TempDir
    Path dir;

    /** Where to kill an attempt: once the staged files hold {@code rows} rows (0: at once), {@code delayMillis} later. */
    private record KillMoment(long rows, long delayMillis) {

        @Override
        public String toString() {
            return rows == 0 ? delayMillis + " ms after start" : "at " + rows + " rows staged + " + delayMillis + " ms";
        }
    }

    /** What one kill hit. */
    private record Kill(KillMoment moment, long afterMillis, long staged, long committed) {
    }

    @Test
    void runKilledAgainAndAgainUnderPlatformFaultsEndsWithEveryRowOnceAndNoFalseClean() throws Exception {
        Input input = generateInput(new Random(SEED));
        List<KillMoment> moments = killMoments(new Random(SEED + 1), input.dataRows());

        JarRun.Result reference = JarRun.run(dir, "reference", command(dir.resolve("reference"), List.of()));
        assertThat(reference.exitCode()).as(reference.describe()).isZero();

        Path output = dir.resolve("chaos");
        List<String> chaos = command(output, FAULTS);
        List<Kill> kills = new ArrayList<>();
        for (KillMoment moment : moments) {
            String name = "chaos-" + (kills.size() + 1) + "-killed";
            long start = System.nanoTime();
            JarRun.Result killed;
            try (JarRun run = JarRun.start(dir, name, chaos)) {
                awaitMoment(run, output, moment);
                killed = run.kill9();
            }
            long afterMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(killed.exitCode()).as("killed with SIGKILL while running\n" + killed.describe()).isEqualTo(KILLED);
            assertThat(output.resolve(DATE)).as("no results folder after a kill").doesNotExist();
            long staged = stagedRows(output);
            long committed = committedRows(output, kills.size() + 1);
            kills.add(new Kill(moment, afterMillis, staged, committed));
            System.out.printf("ChaosRestartIT: kill %d (%s) after %d ms: %d rows staged, %d committed%n",
                    kills.size(), moment, afterMillis, staged, committed);
            assertThat(staged).as("the staged files hold every committed row and at most the chunk being committed")
                    .isBetween(committed, committed + CHUNK_SIZE);
        }
        JarRun.Result last = null;
        for (int attempt = 1; attempt <= MAX_FINAL_ATTEMPTS && (last == null || last.exitCode() != 0); attempt++) {
            last = JarRun.run(dir, "chaos-" + (kills.size() + attempt) + "-final", chaos);
        }
        assertThat(last.exitCode()).as("the same command, run again, completes\n" + last.describe()).isZero();
        System.out.printf("ChaosRestartIT: %d input rows, %d kills, then completed by %s%n", input.dataRows(), kills.size(),
                last.name());

        assertThat(kills).as("kills that hit a running audit").hasSizeGreaterThanOrEqualTo(5);
        assertThat(kills.get(kills.size() - 1).committed()).as("the kills spread over the run").isPositive();
        assertThat(output.resolve(".incomplete").resolve(DATE)).doesNotExist();
        assertResults(new AuditOutput(dir.resolve("reference").resolve(DATE)), new AuditOutput(output.resolve(DATE)), input);
        assertEveryRowCommittedOnce(output, input.dataRows());
    }

    private void assertResults(AuditOutput reference, AuditOutput result, Input input) throws IOException {
        // every input data row in exactly one file, once
        assertThat(result.dataRows()).as("data rows of the four files = data rows of the input").isEqualTo(input.dataRows());
        Map<String, String> fileOf = new HashMap<>();
        for (String file : VERDICT_FILES) {
            for (String number : result.numbers(file)) {
                String earlier = fileOf.put(number, file);
                assertThat(earlier).as("%s is in %s and in %s", number, earlier, file).isNull();
            }
        }
        assertThat(fileOf.keySet()).as("the audited numbers are the input's valid numbers").isEqualTo(input.numbers());
        assertThat(result.rows("rejected.csv")).as("rejected rows, as in the reference").isEqualTo(reference.rows("rejected.csv"));

        // no false clean
        Set<String> referenceClean = new TreeSet<>(reference.numbers("clean.csv"));
        assertThat(result.numbers("clean.csv")).as("clean only where the fault-free run says clean")
                .allMatch(referenceClean::contains);

        // every number every platform answered: the reference's verdict, row for row
        Map<String, List<String>> referenceRows = rowsByNumber(reference);
        Map<String, List<String>> resultRows = rowsByNumber(result);
        Set<String> dropped = new TreeSet<>();
        for (String number : input.numbers()) {
            if (BindingCheckSimulator.dropped("+86" + number, DROP_RATE)) {
                dropped.add(number);
            } else {
                assertThat(resultRows.get(number)).as("verdict of %s, answered by every platform", number)
                        .isEqualTo(referenceRows.get(number));
            }
        }
        assertThat(dropped).as("numbers %s leaves out, some bound on it alone", DROPPING).anyMatch(number ->
                referenceRows.get(number).get(0).equals("bound.csv") && referenceRows.get(number).get(3).equals(DROPPING));

        // undetermined only for the dropping platform: left out by it, and bound nowhere else
        for (List<String> row : result.rows("undetermined.csv")) {
            assertThat(row.subList(2, 4)).as("undetermined row %s", row).containsExactly(DROPPING, DROPPING + ":MISSING_ID");
        }
        for (String number : dropped) {
            List<String> want = new ArrayList<>(referenceRows.get(number));
            List<String> boundElsewhere = want.get(0).equals("bound.csv")
                    ? Arrays.stream(want.get(3).split(";")).filter(id -> !id.equals(DROPPING)).toList() : List.of();
            List<String> expected = boundElsewhere.isEmpty()
                    ? List.of("undetermined.csv", number, want.get(2), DROPPING, DROPPING + ":MISSING_ID", "")
                    : List.of("bound.csv", number, want.get(2), String.join(";", boundElsewhere), "");
            assertThat(resultRows.get(number)).as("verdict of %s, left out by %s", number, DROPPING).isEqualTo(expected);
        }

        // summary.json: the totals of the files; each platform's counts kept across the kills
        JsonNode summary = JSON.readTree(Files.readString(result.folder().resolve("summary.json")));
        JsonNode referenceSummary = JSON.readTree(Files.readString(reference.folder().resolve("summary.json")));
        assertThat(summary.get("rows").asLong()).isEqualTo(input.dataRows());
        assertThat(summary.get("clean").asLong()).isEqualTo(result.rows("clean.csv").size());
        assertThat(summary.get("bound").asLong()).isEqualTo(result.rows("bound.csv").size());
        assertThat(summary.get("undetermined").asLong()).isEqualTo(result.rows("undetermined.csv").size());
        assertThat(summary.get("rejected").asLong()).isEqualTo(result.rows("rejected.csv").size());
        for (String platform : SampleInput.SHIPPED_PLATFORMS) {
            JsonNode counts = summary.get("platforms").get(platform);
            if (platform.equals(DROPPING)) {
                assertThat(counts.get("noAnswer").asLong()).as("%s: no answer", platform).isEqualTo(dropped.size());
                assertThat(counts.get("bound").asLong() + counts.get("notBound").asLong() + counts.get("noAnswer").asLong())
                        .as("%s: answers counted", platform).isEqualTo(input.numbers().size());
            } else {
                assertThat(SummaryCounts.of(summary).get("platforms").get(platform)).as("%s: answers counted", platform)
                        .isEqualTo(SummaryCounts.of(referenceSummary).get("platforms").get(platform));
            }
        }
    }

    /** number -> [file, number, cancelled_on, more fields of the row...], over clean, bound and undetermined. */
    private static Map<String, List<String>> rowsByNumber(AuditOutput output) {
        Map<String, List<String>> rows = new HashMap<>();
        for (String file : VERDICT_FILES) {
            for (List<String> row : output.rows(file)) {
                List<String> entry = new ArrayList<>();
                entry.add(file);
                entry.addAll(row);
                rows.put(row.get(0), entry);
            }
        }
        return rows;
    }

    /**
     * The job repository after the last run: the audit step's executions, one per attempt that
     * reached it, committed between them every row exactly once (each resumed right after the last
     * commit before it), and the last one completed.
     */
    private static void assertEveryRowCommittedOnce(Path output, long dataRows) throws SQLException {
        List<String> statuses = new ArrayList<>();
        List<Long> written = new ArrayList<>();
        String url = repositoryUrl(output.resolve("job-repository")) + ";ACCESS_MODE_DATA=r";
        try (Connection db = DriverManager.getConnection(url, "", "");
             Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select STATUS, WRITE_COUNT from BATCH_STEP_EXECUTION where STEP_NAME = 'audit' "
                     + "order by STEP_EXECUTION_ID")) {
            while (rs.next()) {
                statuses.add(rs.getString(1));
                written.add(rs.getLong(2));
            }
        }
        System.out.printf("ChaosRestartIT: audit step executions %s, rows committed by each %s%n", statuses, written);
        assertThat(statuses).as("audit step executions").isNotEmpty().last().isEqualTo("COMPLETED");
        assertThat(written.stream().mapToLong(Long::longValue).sum()).as("rows committed over all executions %s", written)
                .isEqualTo(dataRows);
    }

    /**
     * The rows the job repository holds as committed, read from a copy of its H2 file: the killed
     * run cannot commit anything more, and the copy leaves the real file as the next run finds it.
     */
    private long committedRows(Path output, int kill) throws IOException, SQLException {
        Path file = output.resolve("job-repository").resolve("number-audit.mv.db");
        if (!Files.exists(file)) {
            return 0;
        }
        Path copy = Files.createDirectories(dir.resolve("repository-at-kill-" + kill));
        Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        try (Connection db = DriverManager.getConnection(repositoryUrl(copy), "", "")) {
            try (ResultSet tables = db.getMetaData().getTables(null, null, "BATCH_STEP_EXECUTION", null)) {
                if (!tables.next()) {
                    return 0; // killed before the schema was made
                }
            }
            try (Statement sql = db.createStatement();
                 ResultSet rs = sql.executeQuery("select coalesce(sum(WRITE_COUNT), 0) from BATCH_STEP_EXECUTION "
                         + "where STEP_NAME = 'audit'")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The application sets no datasource user, so H2 created the database for the empty user name. */
    private static String repositoryUrl(Path folder) {
        return "jdbc:h2:file:" + folder.resolve("number-audit").toAbsolutePath() + ";IFEXISTS=TRUE";
    }

    /** Waits (bounded) for the moment; fails if the run ends before it. */
    private static void awaitMoment(JarRun run, Path output, KillMoment moment) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + KILL_DEADLINE.toNanos();
        while (stagedRows(output) < moment.rows()) {
            if (!run.isAlive()) {
                fail("the chaos run ended before it could be killed %s; make it slower.%n%s", moment,
                        run.await(Duration.ofSeconds(5)).describe());
            }
            if (System.nanoTime() > deadline) {
                fail("the chaos run did not stage %d rows within %s", moment.rows(), KILL_DEADLINE);
            }
            Thread.sleep(10);
        }
        Thread.sleep(moment.delayMillis());
        if (!run.isAlive()) {
            fail("the chaos run ended before it could be killed %s; make it slower.%n%s", moment,
                    run.await(Duration.ofSeconds(5)).describe());
        }
    }

    /**
     * The first kill 1 to 4 s after start; the others at rows spread over 8 to 92 % of the input,
     * at least two chunks apart, each 0 to 400 ms after its row count is reached.
     */
    private static List<KillMoment> killMoments(Random random, long dataRows) {
        List<KillMoment> moments = new ArrayList<>();
        moments.add(new KillMoment(0, 1_000 + random.nextInt(3_000)));
        TreeSet<Long> rows = new TreeSet<>();
        while (rows.size() < KILLS - 1) {
            long at = (long) (dataRows * (0.08 + 0.84 * random.nextDouble()));
            Long below = rows.floor(at);
            Long above = rows.ceiling(at);
            if ((below == null || at - below >= 2 * CHUNK_SIZE) && (above == null || above - at >= 2 * CHUNK_SIZE)) {
                rows.add(at);
            }
        }
        for (long at : rows) {
            moments.add(new KillMoment(at, random.nextInt(400)));
        }
        return moments;
    }

    private List<String> command(Path output, List<String> faults) {
        List<String> command = new ArrayList<>(List.of(
                "--audit.input=" + dir.resolve("input"),
                "--audit.output=" + output,
                "--audit.date=" + DATE,
                "--audit.simulator.bindings=file:" + dir.resolve("bindings.csv").toAbsolutePath(),
                "--audit.chunk-size=" + CHUNK_SIZE,
                "--audit.in-flight=200"));
        command.addAll(faults);
        return command;
    }

    /** Data rows in the four staged result files (0 before the audit step has made them). */
    private static long stagedRows(Path output) throws IOException {
        Path staging = output.resolve(".incomplete").resolve(DATE);
        long rows = 0;
        for (String file : AuditOutput.FILES) {
            Path csv = staging.resolve(file);
            if (Files.exists(csv)) {
                long lines = 0;
                for (byte b : Files.readAllBytes(csv)) {
                    lines += b == '\n' ? 1 : 0;
                }
                rows += Math.max(0, lines - 1);
            }
        }
        return rows;
    }

    /** The input's data rows and its distinct valid numbers. */
    private record Input(long dataRows, Set<String> numbers) {
    }

    /**
     * Writes {@code input/pending-1.csv} and {@code pending-2.csv} ({@value #ROWS_PER_FILE} data
     * rows each: about 3 % invalid values and 2 % repeats, the rest distinct mobile numbers) and
     * {@code bindings.csv}: half the numbers that {@value #DROPPING} leaves out BOUND there alone
     * (so a missing answer taken for NOT_BOUND would make them clean), about 10 % of the others
     * BOUND on one or two platforms.
     */
    private Input generateInput(Random random) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("input"));
        Set<String> numbers = new LinkedHashSet<>();
        List<String> listed = new ArrayList<>();
        StringBuilder bindings = new StringBuilder("number,platform,status,accounts\n");
        long dataRows = 0;
        for (int f = 1; f <= 2; f++) {
            StringBuilder csv = new StringBuilder("number,cancelled_on\n");
            for (int row = 0; row < ROWS_PER_FILE; row++, dataRows++) {
                double kind = random.nextDouble();
                String value;
                if (kind < 0.03) {
                    value = "1" + random.nextInt(1_000_000);
                } else if (kind < 0.05 && !listed.isEmpty()) {
                    value = "+86 " + listed.get(random.nextInt(listed.size()));
                } else {
                    String number;
                    do {
                        number = PREFIXES[random.nextInt(PREFIXES.length)] + String.format("%08d", random.nextInt(100_000_000));
                    } while (!numbers.add(number));
                    listed.add(number);
                    value = number;
                    if (BindingCheckSimulator.dropped("+86" + number, DROP_RATE) && random.nextBoolean()) {
                        bindings.append(number).append(',').append(DROPPING).append(",BOUND,1\n");
                    } else if (random.nextDouble() < 0.10) {
                        Set<String> on = new TreeSet<>();
                        int count = 1 + random.nextInt(2);
                        while (on.size() < count) {
                            on.add(SampleInput.SHIPPED_PLATFORMS.get(random.nextInt(SampleInput.SHIPPED_PLATFORMS.size())));
                        }
                        for (String platform : on) {
                            bindings.append(number).append(',').append(platform).append(",BOUND,1\n");
                        }
                    }
                }
                csv.append(value).append(',').append(String.format("2026-08-%02d", 1 + random.nextInt(28))).append('\n');
            }
            Files.writeString(folder.resolve("pending-" + f + ".csv"), csv, StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("bindings.csv"), bindings, StandardCharsets.UTF_8);
        return new Input(dataRows, numbers);
    }
}
