package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditOutput;
import com.numberaudit.NumberAuditApplication;
import com.numberaudit.SampleInput;
import com.numberaudit.audit.AuditRun;

/**
 * Runs the real job in-process with one file-exchange platform, {@code exp}, answering from its
 * export of bound ids, and reads back the result files: only a verified export may make a number
 * clean.
 */
class SnapshotFileAuditFunctionalTest {

    private static final String DATE = "2026-11-28";

    @TempDir
    Path work;

    private final List<String> numbers = SampleInput.mobileNumbers(300, 7);
    private final List<String> bound = new ArrayList<>();
    private final List<String> free = new ArrayList<>();

    @Test
    void verifiedExportMakesItsIdsBoundAndEveryOtherNumberClean() throws Exception {
        writeExport();

        assertThat(run()).isZero();

        AuditOutput output = output();
        assertThat(output.rows("bound.csv")).extracting(row -> row.get(0)).containsExactlyInAnyOrderElementsOf(bound);
        assertThat(output.rows("bound.csv")).allSatisfy(row -> assertThat(row.get(2)).isEqualTo("exp"));
        assertThat(output.numbers("clean.csv")).containsExactlyInAnyOrderElementsOf(free);
        assertThat(output.rows("undetermined.csv")).isEmpty();
    }

    @Test
    void truncatedExportUnderItsOriginalSidecarLeavesEveryNumberUndetermined() throws Exception {
        Path export = writeExport();
        List<String> lines = Files.readAllLines(export);
        Files.write(export, lines.subList(0, lines.size() / 2));

        assertThat(run()).as("an untrusted export takes the platform down: exit 3").isEqualTo(AuditRun.PLATFORM_DOWN);

        AuditOutput output = output();
        assertThat(output.rows("clean.csv")).isEmpty();
        assertThat(output.rows("bound.csv")).isEmpty();
        assertThat(output.numbers("undetermined.csv")).containsExactlyInAnyOrderElementsOf(numbers).containsAll(bound);
        assertThat(output.rows("undetermined.csv")).allSatisfy(row ->
                assertThat(row.subList(2, 4)).containsExactly("exp", "exp:SNAPSHOT_UNVERIFIED"));
    }

    /** Every 4th number bound (with 2 accounts), plus ids of numbers not in the input; sealed as {@code sha256sum} would. */
    private Path writeExport() throws IOException, NoSuchAlgorithmException {
        StringBuilder csv = new StringBuilder("id,accounts\n");
        for (int i = 0; i < numbers.size(); i++) {
            if (i % 4 == 0) {
                bound.add(numbers.get(i));
                csv.append("+86").append(numbers.get(i)).append(",2\n");
                csv.append("+861990000").append(String.format("%04d", i)).append(",1\n");
            } else {
                free.add(numbers.get(i));
            }
        }
        Path exports = Files.createDirectories(work.resolve("exchange"));
        Path export = Files.writeString(exports.resolve("exp-" + DATE + ".csv"), csv, StandardCharsets.UTF_8);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(export)));
        Files.writeString(exports.resolve("exp-" + DATE + ".csv.sha256"), sha256 + "  exp-" + DATE + ".csv\n");
        return export;
    }

    private int run() throws IOException {
        Path input = SampleInput.writeInput(work.resolve("input/pending.csv"), numbers);
        Stream<String> job = Stream.of("--audit.input=" + input, "--audit.output=" + work.resolve("output"), "--audit.date=" + DATE,
                "--audit.platforms.exp.adapter=" + SnapshotFileAdapter.NAME,
                "--audit.platforms.exp.snapshot=" + work.resolve("exchange") + "/exp-{date}.csv");
        Stream<String> defaultsOff = SampleInput.shippedPlatformsOff().stream();
        return NumberAuditApplication.run(Stream.concat(job, defaultsOff).toArray(String[]::new));
    }

    private AuditOutput output() {
        return new AuditOutput(work.resolve("output").resolve(DATE));
    }
}
