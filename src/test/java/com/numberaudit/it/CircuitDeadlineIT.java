package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.SampleInput;

/**
 * {@code audit.deadline}, against the packaged jar and its simulator: numbers a platform's open circuit refuses are held
 * back and asked again once it lets requests through, so a platform's bad seconds cost no number; a platform still down
 * at the deadline leaves its numbers undetermined ({@code CIRCUIT_OPEN}) and the run exits 3, as before.
 */
@Timeout(300)
class CircuitDeadlineIT {

    private static final String DATE = "2026-11-28";
    private static final int COUNT = 600;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void numbersRefusedWhileTheCircuitIsOpenAreAskedAgainOnceItClosesAndAllAreAnswered() throws IOException {
        // wechat's first 6 requests fail: the circuit (judging 2 calls) opens, its 1 s trial fails again, then it answers
        JarRun.Result night = JarRun.run(dir, "night", command("60s", "--audit.simulator.faults.wechat.error-status=503",
                "--audit.simulator.faults.wechat.fail-first=6"));

        assertThat(night.exitCode()).as(night.describe()).isZero();
        String log = night.stdout() + night.stderr();
        assertThat(log).as(night.describe()).contains("wechat: circuit opened: HTTP_503 ×2 of 2")
                .contains("wechat: circuit open: its numbers are held back and asked again every 1 s until ")
                .contains("wechat: circuit closed");
        assertThat(rows("undetermined.csv")).as("no number undetermined").isEmpty();
        assertThat(rows("clean.csv")).hasSize(COUNT);
        JsonNode summary = JSON.readTree(dir.resolve("output").resolve(DATE).resolve("summary.json").toFile());
        assertThat(summary.get("platformsDown").size()).as(summary.toString()).isZero();
    }

    @Test
    void aPlatformStillDownAtTheDeadlineLeavesItsNumbersUndeterminedAndExits3() throws IOException {
        long started = System.nanoTime();
        JarRun.Result night = JarRun.run(dir, "night", command("12s", "--audit.simulator.faults.wechat.error-status=503"));

        assertThat(night.exitCode()).as("completed, but a platform was down\n" + night.describe()).isEqualTo(3);
        assertThat(night.stdout() + night.stderr()).contains("wechat: circuit open: its numbers are held back and asked again");
        assertThat(night.stdout()).contains("number-audit " + DATE + ": completed, but platform wechat was down: " + COUNT
                + " numbers held (");
        assertThat(rows("undetermined.csv")).hasSize(COUNT);
        JsonNode down = JSON.readTree(dir.resolve("output").resolve(DATE).resolve("summary.json").toFile()).get("platformsDown");
        assertThat(down.get("wechat").get("CIRCUIT_OPEN").asLong()).as(down.toString()).isPositive();
        assertThat(System.nanoTime() - started).as("held until the deadline").isGreaterThan(12_000_000_000L);
    }

    private List<String> command(String deadline, String... faults) throws IOException {
        Path input = SampleInput.writeInput(dir.resolve("input/pending.csv"), SampleInput.mobileNumbers(COUNT, 1130));
        List<String> command = new ArrayList<>(List.of("--audit.input=" + input, "--audit.output=" + dir.resolve("output"),
                "--audit.date=" + DATE, "--audit.deadline=" + deadline,
                "--audit.platforms.wechat.batch-size=50", "--audit.platforms.wechat.max-concurrency=2",
                "--audit.platforms.wechat.circuit-breaker.minimum-calls=2", "--audit.platforms.wechat.circuit-breaker.open-for=1s",
                "--audit.platforms.wechat.retry.initial-backoff=10ms"));
        command.addAll(List.of(faults));
        return command;
    }

    /** The data rows of one of the night's CSV files. */
    private List<String> rows(String file) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("output").resolve(DATE).resolve(file));
        return lines.subList(1, lines.size());
    }
}
