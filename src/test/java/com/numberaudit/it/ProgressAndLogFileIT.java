package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.SampleInput;

/**
 * A slow night (the simulator's WeChat takes 200 ms a request, one at a time) as an operator
 * watches it: progress lines with the total, percent and ETA from its first seconds, every
 * {@code audit.progress-interval} from {@code ./config/application.yml}, and the night's log file
 * beside the results with everything the console showed; no full number in any of it.
 */
@Timeout(180)
class ProgressAndLogFileIT {

    private static final String DATE = "2026-11-28";
    /** A Chinese mobile number whole (not part of a longer run of digits). */
    private static final Pattern FULL_NUMBER = Pattern.compile("(?<![0-9])1[3-9][0-9]{9}(?![0-9])");
    private static final Pattern PROGRESS = Pattern.compile(
            "progress: ([0-9,]+) of ([0-9,]+) rows \\(([0-9.]+) %\\), [0-9.,]+ rows/s, ETA (unknown \\(no answer yet\\)|(?:(\\d+) min )?(\\d+) s);");

    @TempDir
    Path dir;

    @Test
    void aSlowNightShowsItsProgressFromTheStartAndLogsBesideItsResultsWithoutAFullNumber() throws IOException {
        List<String> numbers = SampleInput.mobileNumbers(1_200, 1128);
        Path input = SampleInput.writeInput(dir.resolve("input/pending.csv"), numbers);
        // a blank line, a repeat (its value a whole number, in rejected.csv only) and a number too short
        Files.writeString(input, "\n" + numbers.get(3) + ",2026-08-20\n1380013800,2026-08-20\n", StandardOpenOption.APPEND);
        Path bindings = SampleInput.writeBindings(dir.resolve("bindings.csv"), numbers, "qq", 9);
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/application.yml"), "audit:\n  output: results\n  progress-interval: 2s\n");

        JarRun.Result run = JarRun.run(dir, "slow", "--audit.input=input/pending.csv", "--audit.date=" + DATE,
                "--audit.simulator.bindings=file:" + bindings, "--audit.simulator.faults.jd.drop-rate=0.05",
                "--audit.simulator.faults.wechat.delay=200ms", "--audit.platforms.wechat.batch-size=20",
                "--audit.platforms.wechat.max-concurrency=1");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        Path results = dir.resolve("results");
        assertThat(results.resolve(DATE).resolve("summary.json")).as("audit.output from ./config/application.yml").isRegularFile();
        Path logFile = results.resolve("logs").resolve("number-audit-" + DATE + ".log");
        List<String> log = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        List<String> progress = log.stream().filter(line -> line.contains(" progress: ")).toList();
        assertThat(progress).as(String.join("\n", log)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(run.stdout().lines().filter(line -> line.contains(" progress: ")).map(ProgressAndLogFileIT::message))
                .as("the console's progress lines are the log file's").containsExactlyElementsOf(progress.stream().map(ProgressAndLogFileIT::message).toList());

        Instant started = time(log.stream().filter(line -> line.contains("console: number-audit: DEMO RUN")).findFirst().orElseThrow());
        Instant ended = time(log.stream().filter(line -> line.contains("console: Results: ")).findFirst().orElseThrow());
        String firstWithEta = progress.stream().filter(line -> !line.contains("ETA unknown")).findFirst().orElseThrow();
        assertThat(time(progress.get(0))).as("the first line").isBefore(started.plusSeconds(4));
        assertThat(time(firstWithEta)).as("the first line with an ETA").isBefore(started.plusSeconds(6));
        Instant previous = null;
        for (String line : progress) {
            Matcher parts = PROGRESS.matcher(line);
            assertThat(parts.find()).as(line).isTrue();
            long done = Long.parseLong(parts.group(1).replace(",", ""));
            long total = Long.parseLong(parts.group(2).replace(",", ""));
            assertThat(done).as(line).isLessThanOrEqualTo(total);
            assertThat(Double.parseDouble(parts.group(3))).as(line).isLessThanOrEqualTo(100.0);
            if (done > 0) {
                assertThat(total).as("1,200 numbers, a repeat and an invalid row (the blank line is none)\n" + line).isEqualTo(1_202);
            }
            if (previous != null && line != firstWithEta) {
                assertThat(Duration.between(previous, time(line))).as("audit.progress-interval: 2s\n" + line)
                        .isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
            }
            previous = time(line);
            double percent = Double.parseDouble(parts.group(3));
            if (percent >= 20 && percent <= 80) {
                long eta = Long.parseLong(parts.group(6)) + (parts.group(5) == null ? 0 : 60 * Long.parseLong(parts.group(5)));
                long left = Duration.between(time(line), ended).toSeconds();
                assertThat(eta).as("ETA against the time the run really took\n" + line).isBetween(left / 2 - 3, left * 2 + 3);
            }
        }
        String dirPath = dir.toString();
        for (String text : List.of(run.stdout(), run.stderr(), String.join("\n", log))) {
            assertThat(text.replace(dirPath, "<dir>")).as("no full number in any log line").doesNotContainPattern(FULL_NUMBER);
        }
        assertThat(Files.readString(results.resolve(DATE).resolve("rejected.csv"))).as("the repeat is in its result file, whole")
                .contains(numbers.get(3));
    }

    /** A log file line's time: its first field, ISO with offset. */
    private static Instant time(String line) {
        return OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant();
    }

    /** What follows "progress: " in a log line, whatever the line's layout. */
    private static String message(String line) {
        return line.substring(line.indexOf("progress: "));
    }
}
