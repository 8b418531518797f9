package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.numberaudit.AuditOutput;
import com.numberaudit.NumberAuditApplication;
import com.numberaudit.SampleInput;
import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;

/**
 * The whole job with {@code audit.partitions=3}, its partitions run in-process by Spring Batch's
 * TaskExecutorPartitionHandler ({@link LocalPartitions}), against a single node's run of the same night in a
 * repository of its own: the same four result files byte for byte, the same escalations and notices, the same totals.
 * The night is built to be hard on the boundaries: a duplicate of an earlier number just after each boundary, a
 * multi-line field across the first, invalid rows, and numbers an earlier night holds (re-audited after the input,
 * some of them listed again).
 */
@ExtendWith(OutputCaptureExtension.class)
class PartitionedAuditFunctionalTest {

    private static final String EARLIER_NIGHT = "2026-11-25";
    private static final String NIGHT = "2026-11-28";
    private static final int PARTITIONS = 3;
    private static final int ROWS = 2_600;
    private static final String SINGLE = "single";
    private static final String PARTITIONED = "partitioned";

    @TempDir
    Path work;

    /** Each output's job repository (and ledger), by output name. */
    private final Map<String, ScratchRepository> repositories = new LinkedHashMap<>();

    @BeforeEach
    void reset() {
        LocalPartitions.reset();
    }

    @AfterEach
    void closeRepositories() throws Exception {
        LocalPartitions.reset();
        for (ScratchRepository repository : repositories.values()) {
            repository.close();
        }
    }

    @Test
    void threePartitionsWriteTheFilesAndTotalsOfASingleNode(CapturedOutput output) throws IOException {
        Night night = night(RepositoryDatabase.POSTGRESQL); // a manager of several partitions is refused on H2
        Path single = night.run(SINGLE);
        // wechat answers each request after a second: the night lasts some seconds, and its manager logs its progress
        Path partitioned = night.run(PARTITIONED, "--audit.partitions=" + PARTITIONS,
                "--spring.main.sources=" + LocalPartitions.class.getName(), "--audit.progress-interval=1s",
                "--audit.simulator.faults.wechat.delay=1s");

        assertThat(output.getOut().lines().filter(line -> line.contains("progress of 3 partitions: ")))
                .as("the manager's progress: what its partitions committed, of the rows its partitioner estimated")
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).containsPattern("progress of 3 partitions: [0-9,]+ of [0-9,]+ rows \\([0-9.]+ %\\)")
                        .doesNotContainPattern("1[3-9][0-9]{9}"))
                .as("a line after the first partition committed (they run one after the other here, a second each at least)")
                .anySatisfy(line -> assertThat(line).doesNotContain("partitions: 0 of"));

        assertThat(LocalPartitions.RAN).containsExactlyInAnyOrder("audit-partition:p0", "audit-partition:p1", "audit-partition:p2");
        assertSameResults(partitioned, single);
        assertThat(new AuditOutput(single).rows("rejected.csv")).as("a duplicate just after each boundary")
                .filteredOn(row -> row.get(3).equals("DUPLICATE")).extracting(row -> row.get(1))
                .contains(night.lineOf(night.boundaries.get(0) + 1), night.lineOf(night.boundaries.get(1)));
        assertThat(partitioned.resolveSibling(".incomplete").resolve(NIGHT)).as("nothing left in staging").doesNotExist();
        assertThat(ticketSnapshotRows()).as("the open tickets, polled once by the manager for every partition").isPositive();
    }

    private long ticketSnapshotRows() {
        try (Connection connection = repositories.get(PARTITIONED).connect();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM ledger_ticket_snapshot WHERE run_date = DATE '" + NIGHT + "' AND status IS NOT NULL")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPartitionFailedMidWayIsTheOnlyOneRunAgainAndTheFilesAreStillASingleNodes() throws IOException {
        Night night = night(RepositoryDatabase.POSTGRESQL); // a manager of several partitions is refused on H2
        Path single = night.run(SINGLE);
        LocalPartitions.failing = "audit-partition:p1";
        LocalPartitions.FAIL_AT_CHUNK.set(3);

        String[] partitioned = night.arguments(PARTITIONED, "--audit.partitions=" + PARTITIONS,
                "--spring.main.sources=" + LocalPartitions.class.getName());
        assertThat(NumberAuditApplication.run(partitioned)).as("p1 failed: the run failed").isEqualTo(AuditRun.FAILED);
        assertThat(LocalPartitions.RAN).containsExactlyInAnyOrder("audit-partition:p0", "audit-partition:p1", "audit-partition:p2");
        assertThat(work.resolve(PARTITIONED).resolve(NIGHT)).doesNotExist();

        LocalPartitions.RAN.clear();
        assertThat(NumberAuditApplication.run(partitioned)).as("the same command resumes it").isZero();

        assertThat(LocalPartitions.RAN).as("only the unfinished partition ran again").containsExactly("audit-partition:p1");
        assertSameResults(work.resolve(PARTITIONED).resolve(NIGHT), single);
        assertThat(ticketSnapshotRows()).as("the open tickets, polled once by the manager for every partition").isPositive();
    }

    @Test
    void aPartFileThatIsNotWhatItsPartitionCommittedFailsTheNightAndNothingIsPublished(CapturedOutput output) throws IOException {
        Night night = night(RepositoryDatabase.POSTGRESQL); // a manager of several partitions is refused on H2
        String boundTonight = new AuditOutput(night.run(SINGLE)).rows("bound.csv").get(0).get(0);
        // a row p0 never wrote (a number bound tonight), as a part file of another attempt, or in a folder of another
        // host under the same audit.output path, would hold
        Path p0 = refusedWithP0sCleanPartChanged(night, part -> Files.writeString(part, boundTonight + ",2026-08-20,\n",
                StandardOpenOption.APPEND));

        long found = Files.size(p0);
        long rowLength = (boundTonight + ",2026-08-20,\n").length();
        assertThat(output).contains("partition p0's clean.csv (" + p0 + ") holds " + String.format(Locale.ROOT, "%,d", found)
                + " bytes, not the " + String.format(Locale.ROOT, "%,d", found - rowLength) + " its partition committed")
                .contains("audit.output")
                .as("the console's advice: audit the date again, not the same command (which would refuse the same parts)")
                .contains("--audit.rerun=true").doesNotContain("Run the same command again");
    }

    @Test
    void aPartFileAsLongAsItsPartitionCommittedButWithOtherRowsFailsTheNightAndNothingIsPublished(CapturedOutput output)
            throws IOException {
        Night night = night(RepositoryDatabase.POSTGRESQL); // a manager of several partitions is refused on H2
        night.run(SINGLE);
        // another number in place of the first one, at the same length: as a stale part of another attempt or host might
        Path p0 = refusedWithP0sCleanPartChanged(night, part -> {
            String rows = Files.readString(part);
            char last = rows.charAt(10);
            Files.writeString(part, rows.substring(0, 10) + (last == '9' ? '0' : (char) (last + 1)) + rows.substring(11));
        });

        assertThat(output).contains("partition p0's clean.csv (" + p0 + ") holds the ")
                .contains(" bytes its partition committed, but not the same ones (CRC32C ");
    }

    @Test
    void partsThisHostDoesNotSeeFailTheNightSayingToShareTheFolder(CapturedOutput output) throws IOException {
        Night night = night(RepositoryDatabase.POSTGRESQL); // a manager of several partitions is refused on H2
        // the workers wrote into audit.output at the same path on their own hosts: the manager's has no staging folder
        Path staging = work.resolve(PARTITIONED).resolve(".incomplete").resolve(NIGHT);
        LocalPartitions.ended = () -> ResultPublication.deleteTree(staging);
        String[] partitioned = night.arguments(PARTITIONED, "--audit.partitions=" + PARTITIONS,
                "--spring.main.sources=" + LocalPartitions.class.getName());

        assertThat(NumberAuditApplication.run(partitioned)).isEqualTo(AuditRun.FAILED);
        assertThat(work.resolve(PARTITIONED).resolve(NIGHT)).as("nothing published").doesNotExist();
        assertThat(output).contains("the partitions' part files are not in " + staging.resolve(PartitionOutputs.PARTS))
                .contains("share one audit.output folder")
                .as("the console's advice: audit the date again, not the same command (which would fail the same way)")
                .contains("--audit.rerun=true").doesNotContain("Run the same command again");
    }

    /** What a test does to a part file. */
    private interface PartChange {
        void apply(Path part) throws IOException;
    }

    /**
     * Runs {@code night} in three partitions, {@code change} done to p0's clean.csv part once p0 completed (as p2
     * starts): the merge refuses it, exit 1, and nothing is published.
     *
     * @return p0's clean.csv part
     */
    private Path refusedWithP0sCleanPartChanged(Night night, PartChange change) {
        Path p0 = PartitionOutputs.folder(work.resolve(PARTITIONED).resolve(".incomplete").resolve(NIGHT), 0).resolve("clean.csv");
        LocalPartitions.starting = name -> {
            if (name.endsWith(":p2")) {
                try {
                    change.apply(p0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        String[] partitioned = night.arguments(PARTITIONED, "--audit.partitions=" + PARTITIONS,
                "--spring.main.sources=" + LocalPartitions.class.getName());
        assertThat(NumberAuditApplication.run(partitioned)).as("the merge refuses the part").isEqualTo(AuditRun.FAILED);
        assertThat(work.resolve(PARTITIONED).resolve(NIGHT)).as("nothing published").doesNotExist();
        return p0;
    }

    private static void assertSameResults(Path partitioned, Path single) throws IOException {
        for (String file : Stream.concat(AuditOutput.FILES.stream(), Stream.of("escalations.csv")).toList()) {
            assertThat(Files.readString(partitioned.resolve(file))).as(file).isEqualTo(Files.readString(single.resolve(file)));
            assertThat(Files.mismatch(partitioned.resolve(file), single.resolve(file))).as(file + " byte for byte").isEqualTo(-1L);
        }
        assertThat(new AuditOutput(single).rows("escalations.csv")).as("numbers the earlier night holds are escalated").isNotEmpty();
        assertThat(listing(partitioned.resolve("notices"))).isEqualTo(listing(single.resolve("notices"))).isNotEmpty();
        for (String notice : listing(single.resolve("notices"))) {
            assertThat(Files.mismatch(partitioned.resolve("notices").resolve(notice), single.resolve("notices").resolve(notice)))
                    .as(notice).isEqualTo(-1L);
        }
        assertThat(totals(partitioned)).isEqualTo(totals(single)).isNotEmpty();
        assertThat(partitioned.resolve(PartitionOutputs.PARTS)).doesNotExist();
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    /** The summary's counts (rows by verdict, rejected by reason, each platform's answers), without times or requests. */
    private static List<String> totals(Path results) throws IOException {
        return Files.readAllLines(results.resolve("summary.json"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.matches("\\s*\"(rows|clean|bound|undetermined|rejected|reaudited|held|BOUND|NOT_BOUND|NO_ANSWER"
                        + "|DUPLICATE|INVALID|NOT_CHINESE|UNBALANCED_QUOTE|MISSING_FIELD)\" : \\d+,?"))
                .toList();
    }

    /**
     * An earlier night (600 numbers, every 7th bound on alipay, a few batches of didi's given a ticket and never
     * answered: held, with their tickets open), run into both outputs, and tonight's two files of {@value #ROWS} rows in
     * all, built around the partitions' boundaries: those of E = the input's lines + the held numbers. Tonight didi
     * answers the tickets.
     */
    private Night night(RepositoryDatabase database) throws IOException {
        List<String> earlier = SampleInput.mobileNumbers(600, 7);
        List<String> fresh = SampleInput.mobileNumbers(3_000, 11).stream().filter(number -> !earlier.contains(number)).toList();
        List<String> bound = new ArrayList<>();
        for (int i = 0; i < earlier.size(); i += 7) {
            bound.add(earlier.get(i) + ",alipay,BOUND,1");
        }
        for (int i = 0; i < fresh.size(); i += 9) {
            bound.add(fresh.get(i) + ",qq,BOUND,2");
        }
        List<String> pending = new ArrayList<>(bound);
        for (int i = 3; i < earlier.size(); i += 100) {
            pending.add(earlier.get(i) + ",didi,PENDING,"); // its batch of 20 gets a ticket
        }
        Path tonightsBindings = Files.writeString(work.resolve("bindings.csv"), "number,platform,status,accounts\n" + String.join("\n", bound) + "\n");
        Path earlierBindings = Files.writeString(work.resolve("earlier-bindings.csv"),
                "number,platform,status,accounts\n" + String.join("\n", pending) + "\n");
        Path earlierInput = SampleInput.writeInput(work.resolve("earlier/pending.csv"), earlier);
        long held = 0;
        for (String output : List.of(SINGLE, PARTITIONED)) {
            ScratchRepository repository = database.scratch(work.resolve(output));
            repositories.put(output, repository);
            List<String> args = new ArrayList<>(repository.arguments());
            args.addAll(List.of("--audit.output=" + work.resolve(output), "--audit.date=" + EARLIER_NIGHT,
                    "--audit.input=" + earlierInput, "--audit.simulator.bindings=file:" + earlierBindings,
                    "--audit.simulator.tickets=" + work.resolve(output).resolve("tickets"), "--audit.platforms.didi.batch-size=20",
                    "--audit.platforms.didi.pending-wait=1s"));
            assertThat(NumberAuditApplication.run(args.toArray(String[]::new))).isZero();
            AuditOutput results = new AuditOutput(work.resolve(output).resolve(EARLIER_NIGHT));
            assertThat(results.rows("undetermined.csv")).as("didi's tickets").anySatisfy(row -> assertThat(row.get(3)).isEqualTo("didi:PENDING"));
            held = results.rows("bound.csv").size() + results.rows("undetermined.csv").size();
        }
        long estimate = ROWS + 1 + held; // the blank line at the end of the second file is a line too
        List<Long> boundaries = List.of(estimate / PARTITIONS, 2 * estimate / PARTITIONS);

        Random random = new Random(20261128);
        Iterator<String> next = fresh.iterator();
        List<String> rows = new ArrayList<>();
        List<String> numbers = new ArrayList<>(); // of each row, what it lists (null when none)
        for (int row = 0; row < ROWS; row++) {
            String number;
            String line;
            long b1 = boundaries.get(0);
            long b2 = boundaries.get(1);
            if (row == b1 - 1 || row == 50) {
                number = null;
                line = "\"13912340000,"; // a quoted field across two lines: this line and the next
            } else if (row == b1 || row == 51) {
                number = null;
                line = "2026-08-20\",2026-08-20";
            } else if (row == b1 + 1 || row == b2) {
                number = numbers.get(row - 2) != null ? numbers.get(row - 2) : numbers.get(3);
                line = "+86 " + number + ",2026-08-21"; // a duplicate just after the boundary
            } else if (row == b2 + 1) {
                number = numbers.get(7);
                line = number + ",2026-08-22";
            } else if (row % 97 == 13) {
                number = null;
                line = "12345,2026-08-20";
            } else if (row % 131 == 17) {
                number = null;
                line = "+1 650 253 0000,2026-08-20";
            } else if (row % 4 == 1 && row / 4 < earlier.size() && random.nextInt(10) < 3) {
                number = earlier.get(row / 4); // listed again tonight: skipped by the re-audit
                line = number + ",2026-08-23";
            } else {
                number = next.next();
                line = number + ",2026-08-2" + random.nextInt(10);
            }
            numbers.add(number);
            rows.add(line);
        }
        Path input = Files.createDirectories(work.resolve("input"));
        Files.writeString(input.resolve("a.csv"), "number,cancelled_on\n" + String.join("\n", rows.subList(0, ROWS / 2)) + "\n");
        Files.writeString(input.resolve("b.csv"), "number,cancelled_on\n" + String.join("\n", rows.subList(ROWS / 2, ROWS)) + "\n\n");
        return new Night(input, tonightsBindings, boundaries);
    }

    private final class Night {

        final Path input;
        final Path bindings;
        final List<Long> boundaries;

        Night(Path input, Path bindings, List<Long> boundaries) {
            this.input = input;
            this.bindings = bindings;
            this.boundaries = boundaries;
        }

        /** Tonight with {@code more}, into the output whose earlier night ran: tonight's results folder. */
        Path run(String output, String... more) {
            assertThat(NumberAuditApplication.run(arguments(output, more))).isZero();
            return work.resolve(output).resolve(NIGHT);
        }

        String[] arguments(String output, String... more) {
            return Stream.of(repositories.get(output).arguments().stream(), Stream.of("--audit.output=" + work.resolve(output), "--audit.date=" + NIGHT, "--audit.input=" + input,
                    "--audit.simulator.bindings=file:" + bindings, "--audit.simulator.tickets=" + work.resolve(output).resolve("tickets"),
                    "--audit.chunk-size=100", "--audit.escalate-after=2d"), Stream.of(more)).flatMap(arguments -> arguments)
                    .toArray(String[]::new);
        }

        /** The line number (in its file) of row {@code row} of tonight's input, as rejected.csv gives it. */
        String lineOf(long row) {
            return Long.toString(row < ROWS / 2 ? row + 2 : row - ROWS / 2 + 2);
        }
    }
}
