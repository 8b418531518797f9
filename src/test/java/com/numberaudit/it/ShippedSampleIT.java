package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new operator does first: {@code java -jar number-audit.jar} with no arguments at all, next
 * to the repository's own {@code input/} folder, on the default (demo) configuration.
 */
@Timeout(180)
class ShippedSampleIT {

    private static final Path SHIPPED_INPUT = JarRun.PROJECT.resolve("input");
    private static final Pattern RESULTS = Pattern.compile("^Results: (.+?) \\(", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void defaultRunOnTheShippedInputHasAllFourOutcomesAndSaysWhereTheyAre() throws IOException {
        copyShippedInput();
        LocalDate before = LocalDate.now();

        JarRun.Result result = JarRun.run(dir, "shipped-sample");

        LocalDate after = LocalDate.now();
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stderr()).as(result.describe()).isBlank();
        Matcher results = RESULTS.matcher(result.stdout());
        assertThat(results.find()).as("stdout names the results folder\n" + result.describe()).isTrue();
        Path folder = Path.of(results.group(1));
        assertThat(folder).as(result.describe()).isIn(
                dir.resolve("output").resolve(before.toString()).toAbsolutePath().normalize(),
                dir.resolve("output").resolve(after.toString()).toAbsolutePath().normalize());

        long rows = 0;
        for (String outcome : List.of("clean", "bound", "undetermined", "rejected")) {
            long dataRows = dataRows(folder.resolve(outcome + ".csv"));
            assertThat(dataRows).as("data rows in %s.csv\n%s", outcome, result.describe()).isPositive();
            rows += dataRows;
        }
        assertThat(rows).as("every data row of input/ in exactly one result file").isEqualTo(inputDataRows());
        assertThat(folder.resolve("summary.json")).isRegularFile();
    }

    private void copyShippedInput() throws IOException {
        Path input = Files.createDirectories(dir.resolve("input"));
        try (Stream<Path> files = Files.list(SHIPPED_INPUT)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
                Files.copy(file, input.resolve(file.getFileName()));
            }
        }
    }

    /** Non-blank lines after each file's header (read byte for byte: a line that is not UTF-8 is still a row). */
    private long inputDataRows() throws IOException {
        long rows = 0;
        try (Stream<Path> files = Files.list(dir.resolve("input"))) {
            for (Path file : files.toList()) {
                rows += Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream().filter(line -> !line.isBlank()).count() - 1;
            }
        }
        return rows;
    }

    private static long dataRows(Path csv) throws IOException {
        assertThat(csv).isRegularFile();
        return Files.readAllLines(csv).size() - 1;
    }
}
