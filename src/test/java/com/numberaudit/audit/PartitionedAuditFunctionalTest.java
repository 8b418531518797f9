package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditOutput;
import com.numberaudit.NumberAuditApplication;
import com.numberaudit.SampleInput;

import testsupport.db.ScratchRepository;

/**
 * The whole job with {@code audit.partitions=3}, its partitions run in-process by Spring Batch's
 * TaskExecutorPartitionHandler ({@link LocalPartitions}), against a single node's run of the same night in a
 * repository of its own: the same four result files byte for byte, the same escalations and notices, the same totals.
 * The night is built to be hard on the boundaries: a duplicate of an earlier number just after each boundary, a
 * multi-line field across the first, invalid rows, and numbers an earlier night holds (re-audited after the input,
 * some of them listed again).
 */
class PartitionedAuditFunctionalTest {

    private static final String EARLIER_NIGHT = "2026-11-25";
    private static final String NIGHT = "2026-11-28";
    private static final int PARTITIONS = 3;
    private static final int ROWS = 2_600;

    @TempDir
    Path work;

    /**
     * Each output's own job repository on PostgreSQL: a manager of several partitions is refused on H2 (its workers
     * share the repository), and the single node's is the same kind, for a like-for-like comparison.
     */
    private final Map<String, ScratchRepository> repositories = new HashMap<>();

    @BeforeEach
    @AfterEach
    void reset() {
        LocalPartitions.reset();
    }

    @AfterEach
    void dropRepositories() throws Exception {
        for (ScratchRepository repository : repositories.values()) {
            repository.close();
        }
    }

    private List<String> repository(String output) {
        return repositories.computeIfAbsent(output, name -> ScratchRepository.postgres()).arguments();
    }

    @Test
    void threePartitionsWriteTheFilesAndTotalsOfASingleNode() throws IOException {
        Night night = night();
        Path single = night.run("single");
        Path partitioned = night.run("partitioned", "--audit.partitions=" + PARTITIONS,
                "--spring.main.sources=" + LocalPartitions.class.getName());

        assertThat(LocalPartitions.RAN).containsExactlyInAnyOrder("audit-partition:p0", "audit-partition:p1", "audit-partition:p2");
        assertSameResults(partitioned, single);
        assertThat(new AuditOutput(single).rows("rejected.csv")).as("a duplicate just after each boundary")
                .filteredOn(row -> row.get(3).equals("DUPLICATE")).extracting(row -> row.get(1))
                .contains(night.lineOf(night.boundaries.get(0) + 1), night.lineOf(night.boundaries.get(1)));
        // nothing left staged (on PostgreSQL the staging root may be gone altogether)
        assertThat(partitioned.resolveSibling(".incomplete")).satisfiesAnyOf(path -> assertThat(path).doesNotExist(),
                path -> assertThat(path).isEmptyDirectory());
    }

    @Test
    void aPartitionFailedMidWayIsTheOnlyOneRunAgainAndTheFilesAreStillASingleNodes() throws IOException {
        Night night = night();
        Path single = night.run("single");
        LocalPartitions.failing = "audit-partition:p1";
        LocalPartitions.FAIL_AT_CHUNK.set(3);

        String[] partitioned = night.arguments("partitioned", "--audit.partitions=" + PARTITIONS,
                "--spring.main.sources=" + LocalPartitions.class.getName());
        assertThat(NumberAuditApplication.run(partitioned)).as("p1 failed: the run failed").isEqualTo(AuditRun.FAILED);
        assertThat(LocalPartitions.RAN).containsExactlyInAnyOrder("audit-partition:p0", "audit-partition:p1", "audit-partition:p2");
        assertThat(work.resolve("partitioned").resolve(NIGHT)).doesNotExist();

        LocalPartitions.RAN.clear();
        assertThat(NumberAuditApplication.run(partitioned)).as("the same command resumes it").isZero();

        assertThat(LocalPartitions.RAN).as("only the unfinished partition ran again").containsExactly("audit-partition:p1");
        assertSameResults(work.resolve("partitioned").resolve(NIGHT), single);
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
     * An earlier night (600 numbers, every 7th bound on alipay: held) and tonight's two files of {@value #ROWS} rows
     * in all, built around the partitions' boundaries: those of E = the input's lines + the held numbers.
     */
    private Night night() throws IOException {
        List<String> earlier = SampleInput.mobileNumbers(600, 7);
        List<String> fresh = SampleInput.mobileNumbers(3_000, 11).stream().filter(number -> !earlier.contains(number)).toList();
        List<String> bound = new ArrayList<>();
        for (int i = 0; i < earlier.size(); i += 7) {
            bound.add(earlier.get(i) + ",alipay,BOUND,1");
        }
        for (int i = 0; i < fresh.size(); i += 9) {
            bound.add(fresh.get(i) + ",qq,BOUND,2");
        }
        Path bindings = Files.writeString(work.resolve("bindings.csv"), "number,platform,status,accounts\n" + String.join("\n", bound) + "\n");
        Path earlierInput = SampleInput.writeInput(work.resolve("earlier/pending.csv"), earlier);
        int held = (earlier.size() + 6) / 7;
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
        return new Night(earlierInput, input, bindings, boundaries);
    }

    private final class Night {

        final Path earlierInput;
        final Path input;
        final Path bindings;
        final List<Long> boundaries;

        Night(Path earlierInput, Path input, Path bindings, List<Long> boundaries) {
            this.earlierInput = earlierInput;
            this.input = input;
            this.bindings = bindings;
            this.boundaries = boundaries;
        }

        /** The earlier night (single node), then tonight with {@code more}: tonight's results folder. */
        Path run(String output, String... more) {
            assertThat(NumberAuditApplication.run(arguments(output, more))).isZero();
            return work.resolve(output).resolve(NIGHT);
        }

        /** Tonight's arguments; the earlier night must have run into the same output. */
        String[] arguments(String output, String... more) {
            if (!Files.exists(work.resolve(output).resolve(EARLIER_NIGHT))) {
                assertThat(NumberAuditApplication.run(Stream.concat(Stream.of("--audit.output=" + work.resolve(output),
                        "--audit.date=" + EARLIER_NIGHT, "--audit.input=" + earlierInput, "--audit.simulator.bindings=file:" + bindings),
                        repository(output).stream()).toArray(String[]::new))).isZero();
            }
            return Stream.of(Stream.of("--audit.output=" + work.resolve(output), "--audit.date=" + NIGHT, "--audit.input=" + input,
                    "--audit.simulator.bindings=file:" + bindings, "--audit.chunk-size=100", "--audit.escalate-after=2d"),
                    repository(output).stream(), Stream.of(more)).flatMap(s -> s).toArray(String[]::new);
        }

        /** The line number (in its file) of row {@code row} of tonight's input, as rejected.csv gives it. */
        String lineOf(long row) {
            return Long.toString(row < ROWS / 2 ? row + 2 : row - ROWS / 2 + 2);
        }
    }
}
