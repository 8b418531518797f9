package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.numberaudit.AuditOutput;
import com.numberaudit.NumberAuditApplication;
import com.numberaudit.SampleInput;
import com.numberaudit.TestBinding;
import com.numberaudit.audit.AuditRun;
import com.numberaudit.demo.BindingCheckSimulator;
import com.numberaudit.demo.DemoBindings;
import com.numberaudit.demo.SimulatedFaults;

/**
 * One fault of a real platform per test: the whole job runs against two platforms on a loopback
 * simulator, {@code steady} (well-behaved) and {@code faulty}. Each test asserts the verdict of
 * every one of the 40 numbers, how many requests the faulty platform received, and the exit code: 3 where the fault
 * takes the platform down as a whole (credentials refused, its circuit open), else 0. Batches of 10
 * and one request in flight make the request counts exact.
 */
@ExtendWith(OutputCaptureExtension.class)
class PlatformFaultMatrixTest {

    private static final String DATE = "2026-11-28";
    private static final int COUNT = 40;
    private static final List<String> NUMBERS = SampleInput.mobileNumbers(COUNT, 7);

    @TempDir
    Path work;

    private BindingCheckSimulator simulator;

    @AfterEach
    void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void faultFreeRunIsTheReference() throws IOException {
        assertThat(audit(SimulatedFaults.NONE)).as("exit code").isEqualTo(AuditRun.COMPLETED);

        assertThat(verdicts()).isEqualTo(expected(this::faultFree));
        assertThat(simulator.requestCount("faulty")).isEqualTo(4);
    }

    @Test
    void tooManyRequestsIsRetriedNoSoonerThanRetryAfter() throws IOException {
        assertThat(audit(faults("error-status", "429", "fail-first", "2", "retry-after", "1s")))
                .as("exit code").isEqualTo(AuditRun.COMPLETED);

        assertThat(verdicts()).isEqualTo(expected(this::faultFree));
        assertThat(simulator.requestCount("faulty")).isEqualTo(6);
        List<Long> arrivals = simulator.arrivals("faulty");
        assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(arrivals.get(2) - arrivals.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void tooManyRequestsWithRetryAfterBeyondMaxBackoffLeavesTheBatchUndeterminedAtOnce() {
        // the bound only keeps a run that honours the 30 s from holding the build for minutes
        assertThat(assertTimeoutPreemptively(Duration.ofMinutes(2), () ->
                audit(faults("error-status", "429", "retry-after", "30s"), "retry.max-backoff", "1s")))
                .as("exit code: no usable answer all night, the platform was down").isEqualTo(AuditRun.PLATFORM_DOWN);

        assertThat(verdicts()).isEqualTo(expected(i -> unlessBoundOnSteady(i, "faulty:HTTP_429")));
        assertThat(simulator.requestCount("faulty")).isEqualTo(4);
        // one request in flight: each batch was given up before the next was sent, none waited for its Retry-After
        List<Long> arrivals = simulator.arrivals("faulty");
        assertThat(Duration.ofNanos(arrivals.get(3) - arrivals.get(0))).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void requestsArePacedBelowTheRateLimit() throws IOException {
        assertThat(audit(SimulatedFaults.NONE, "rate-limit", "2")).as("exit code").isEqualTo(AuditRun.COMPLETED);

        assertThat(verdicts()).isEqualTo(expected(this::faultFree));
        assertThat(simulator.requestCount("faulty")).isEqualTo(4);
        // Four requests paced at 2 per second cannot arrive within one second (unpaced, they take a few ms);
        // the exact gaps also hold the first request's connection set-up and any scheduling delay.
        List<Long> arrivals = simulator.arrivals("faulty");
        assertThat(Duration.ofNanos(arrivals.get(3) - arrivals.get(0))).isGreaterThan(Duration.ofSeconds(1));
    }

    @Test
    void transient503IsRetriedWithBackOffUntilAnswered() throws IOException {
        assertThat(audit(faults("error-status", "503", "fail-first", "3"))).as("exit code").isEqualTo(AuditRun.COMPLETED);

        assertThat(verdicts()).isEqualTo(expected(this::faultFree));
        assertThat(simulator.requestCount("faulty")).isEqualTo(7);
    }

    @Test
    void persistent500OpensTheCircuitSoTheRestGoUndeterminedAtOnce() throws IOException {
        assertThat(audit(faults("error-status", "500"), "retry.max-attempts", "3", "circuit-breaker.minimum-calls", "4"))
                .as("exit code").isEqualTo(AuditRun.PLATFORM_DOWN);

        // Batch 1 spends its 3 attempts; batch 2's first failure is the 4th and opens the circuit.
        assertThat(verdicts()).isEqualTo(expected(i -> unlessBoundOnSteady(i, i < 10 ? "faulty:HTTP_500" : "faulty:CIRCUIT_OPEN")));
        assertThat(simulator.requestCount("faulty")).isEqualTo(4);
    }

    @Test
    void persistentFailureIsLoggedOnceAndSummedUpWhenTheRunEnds(CapturedOutput output) throws IOException {
        assertThat(audit(faults("error-status", "500"), "batch-size", "2", "retry.max-attempts", "1"))
                .as("exit code").isEqualTo(AuditRun.PLATFORM_DOWN);

        // 20 batches of 2: the first 10 fail, which opens the circuit (10 calls judged); it refuses the other 10
        assertThat(verdicts()).isEqualTo(expected(i -> unlessBoundOnSteady(i, i < 20 ? "faulty:HTTP_500" : "faulty:CIRCUIT_OPEN")));
        assertThat(simulator.requestCount("faulty")).isEqualTo(10);
        assertThat(Pattern.compile("(steady|faulty): (no answer|circuit).*").matcher(output.getOut()).results().map(MatchResult::group))
                .containsExactly(
                        "faulty: no answer for 2 ids: HTTP_500 (the first; the rest are counted and summed up when the run ends)",
                        "faulty: circuit opened: HTTP_500 ×10 of 10",
                        "faulty: no answer for 2 ids: CIRCUIT_OPEN (the first; the rest are counted and summed up when the run ends)",
                        "faulty: no answer for 20 ids this run: CIRCUIT_OPEN",
                        "faulty: no answer for 20 ids this run: HTTP_500");
    }

    @Test
    void brokenJsonCountsAsFailureAndOpensTheCircuit() throws IOException {
        assertThat(audit(faults("broken-json", "true"), "retry.max-attempts", "2", "circuit-breaker.minimum-calls", "2"))
                .as("exit code").isEqualTo(AuditRun.PLATFORM_DOWN);

        assertThat(verdicts()).isEqualTo(expected(i -> unlessBoundOnSteady(i, i < 10 ? "faulty:BROKEN_RESPONSE" : "faulty:CIRCUIT_OPEN")));
        assertThat(simulator.requestCount("faulty")).isEqualTo(2);
    }

    @Test
    void hungServerIsCutOffByTheTimeoutAndDoesNotStallTheRun() throws IOException {
        assertThat(audit(faults("hang", "true"), "timeout", "300ms", "retry.max-attempts", "2", "circuit-breaker.minimum-calls", "2"))
                .as("exit code").isEqualTo(AuditRun.PLATFORM_DOWN);

        assertThat(verdicts()).isEqualTo(expected(i -> unlessBoundOnSteady(i, i < 10 ? "faulty:TIMEOUT" : "faulty:CIRCUIT_OPEN")));
        assertThat(simulator.requestCount("faulty")).isEqualTo(2);
    }

    @Test
    void tooLargeBatchIsSplitAndTheSmallerSizeIsKept() throws IOException {
        assertThat(audit(faults("max-batch", "4"))).as("exit code").isEqualTo(AuditRun.COMPLETED);

        assertThat(verdicts()).isEqualTo(expected(this::faultFree));
        // Batch 1: 10 refused; its two halves of 5 go out as halves, whichever 413 comes first, and are both
        // refused; then 3 + 2 twice. Batches 2 to 4 go as 3 + 3 + 3 + 1 straight away.
        assertThat(simulator.requestCount("faulty")).isEqualTo(1 + 2 + 4 + 3 * 4);
    }

    @Test
    void droppedIdsAreUndeterminedAndOnlyThose() throws IOException {
        assertThat(audit(faults("drop-rate", "0.3"))).as("exit code").isEqualTo(AuditRun.COMPLETED);

        assertThat(verdicts()).isEqualTo(expected(i -> BindingCheckSimulator.dropped("+86" + NUMBERS.get(i), 0.3)
                ? unlessBoundOnSteady(i, "faulty:MISSING_ID") : faultFree(i)));
        assertThat(verdicts().values()).contains("UNDETERMINED faulty:MISSING_ID");
        assertThat(simulator.requestCount("faulty")).isEqualTo(4);
    }

    @Test
    void rightBearerTokenIsAccepted() throws IOException {
        assertThat(audit(faults("token", "t0k3n-right"), "token", "t0k3n-right")).as("exit code").isEqualTo(AuditRun.COMPLETED);

        assertThat(verdicts()).isEqualTo(expected(this::faultFree));
        assertThat(simulator.requestCount("faulty")).isEqualTo(4);
    }

    @Test
    void wrongBearerTokenMarksThePlatformDownAfterOneRequest(CapturedOutput output) throws IOException {
        assertThat(audit(faults("token", "t0k3n-right"), "token", "t0k3n-wrong")).as("exit code").isEqualTo(AuditRun.PLATFORM_DOWN);

        assertThat(verdicts()).isEqualTo(expected(i -> unlessBoundOnSteady(i, "faulty:PLATFORM_DOWN:HTTP_401")));
        assertThat(simulator.requestCount("faulty")).isEqualTo(1);
        assertThat(output.getOut()).contains("number-audit " + DATE + ": completed, but platform faulty was down: 40 numbers held "
                + "(PLATFORM_DOWN:HTTP_401)").doesNotContain("platform steady");
    }

    @Test
    void signedRequestsVerify() throws IOException {
        assertThat(audit(faults("hmac-secret", "s1gn-right"), "hmac-secret", "s1gn-right")).as("exit code").isEqualTo(AuditRun.COMPLETED);

        assertThat(verdicts()).isEqualTo(expected(this::faultFree));
        assertThat(simulator.requestCount("faulty")).isEqualTo(4);
    }

    @Test
    void badSignatureMarksThePlatformDownAfterOneRequest() throws IOException {
        assertThat(audit(faults("hmac-secret", "s1gn-right"), "hmac-secret", "s1gn-wrong"))
                .as("exit code").isEqualTo(AuditRun.PLATFORM_DOWN);

        assertThat(verdicts()).isEqualTo(expected(i -> unlessBoundOnSteady(i, "faulty:PLATFORM_DOWN:HTTP_401")));
        assertThat(simulator.requestCount("faulty")).isEqualTo(1);
    }

    @Test
    void hashedIdsAreAnsweredAndMappedBack() throws IOException {
        assertThat(audit(faults("id-key", "shared-k3y"), "id-type", "HMAC-SHA256", "id-key", "shared-k3y"))
                .as("exit code").isEqualTo(AuditRun.COMPLETED);

        assertThat(verdicts()).isEqualTo(expected(this::faultFree));
        assertThat(simulator.requestCount("faulty")).isEqualTo(4);
    }

    @Test
    void requestThePlatformCallsMalformedIsNotRetried() throws IOException {
        // The platform expects hashed ids and gets E.164 ones: 400, a bug on our side, no retry.
        assertThat(audit(faults("id-key", "shared-k3y"))).as("exit code: no usable answer all night, someone must look")
                .isEqualTo(AuditRun.PLATFORM_DOWN);

        assertThat(verdicts()).isEqualTo(expected(i -> unlessBoundOnSteady(i, "faulty:HTTP_400")));
        assertThat(simulator.requestCount("faulty")).isEqualTo(4);
    }

    @Test
    void asynchronousAnswerIsCollectedByPollingItsTicket() throws IOException {
        assertThat(audit(faults("async-polls", "1"), "pending-wait", "10s")).as("exit code").isEqualTo(AuditRun.COMPLETED);

        assertThat(verdicts()).isEqualTo(expected(this::faultFree));
        assertThat(simulator.requestCount("faulty")).isEqualTo(4 + 4);
    }

    @Test
    void asynchronousAnswerThatNeverComesLeavesTheNumbersPending() throws IOException {
        assertThat(audit(faults("async-polls", "-1"), "pending-wait", "0s")).as("exit code").isEqualTo(AuditRun.COMPLETED);

        assertThat(verdicts()).isEqualTo(expected(i -> unlessBoundOnSteady(i, "faulty:PENDING")));
        assertThat(simulator.requestCount("faulty")).isEqualTo(4);
    }

    /** Fault-free: bound on steady at 0, 10, 20, 30; bound on faulty at 5, 15; the rest clean. */
    private String faultFree(int index) {
        if (index % 10 == 0) {
            return "BOUND steady";
        }
        return index == 5 || index == 15 ? "BOUND faulty" : "CLEAN";
    }

    /** A number bound on steady stays BOUND whatever faulty does; any other gets faulty's non-answer. */
    private String unlessBoundOnSteady(int index, String reason) {
        return index % 10 == 0 ? "BOUND steady" : "UNDETERMINED " + reason;
    }

    private static Map<String, String> expected(IntFunction<String> verdict) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < COUNT; i++) {
            expected.put(NUMBERS.get(i), verdict.apply(i));
        }
        return expected;
    }

    private static SimulatedFaults faults(String... keysAndValues) {
        return TestBinding.bind(SimulatedFaults.class, keysAndValues);
    }

    /**
     * Runs the job with {@code faulty} behaving as {@code faults} and configured with {@code faultySettings}.
     *
     * @return the exit code: 0, or 3 for a fault that takes the platform down as a whole (a refused credential, an open circuit,
     *         no usable answer all night)
     */
    private int audit(SimulatedFaults faults, String... faultySettings) throws IOException {
        StringBuilder bindings = new StringBuilder("number,platform,status,accounts\n");
        for (int i = 0; i < COUNT; i += 10) {
            bindings.append(NUMBERS.get(i)).append(",steady,BOUND,1\n");
        }
        bindings.append(NUMBERS.get(5)).append(",faulty,BOUND,2\n").append(NUMBERS.get(15)).append(",faulty,BOUND,1\n");
        simulator = BindingCheckSimulator.start(0, DemoBindings.read(
                new ByteArrayInputStream(bindings.toString().getBytes(StandardCharsets.UTF_8)), "test bindings"),
                id -> id.equals("faulty") ? faults : SimulatedFaults.NONE);
        Path input = SampleInput.writeInput(work.resolve("input/pending.csv"), NUMBERS);

        List<String> args = new ArrayList<>(List.of("--audit.input=" + input, "--audit.output=" + work.resolve("output"),
                "--audit.date=" + DATE, "--audit.simulator.enabled=false"));
        args.addAll(SampleInput.shippedPlatformsOff());
        for (String id : List.of("steady", "faulty")) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("url", simulator.baseUrl(id).toString());
            settings.put("batch-size", "10");
            settings.put("max-concurrency", "1");
            settings.put("retry.initial-backoff", "10ms");
            for (int i = 0; id.equals("faulty") && i < faultySettings.length; i += 2) {
                settings.put(faultySettings[i], faultySettings[i + 1]);
            }
            settings.forEach((key, value) -> args.add("--audit.platforms." + id + "." + key + "=" + value));
        }
        return NumberAuditApplication.run(args.toArray(String[]::new));
    }

    /** number -> "CLEAN" | "BOUND <platforms>" | "UNDETERMINED <reason>", from the result files. */
    private Map<String, String> verdicts() {
        AuditOutput output = new AuditOutput(work.resolve("output").resolve(DATE));
        Map<String, String> verdicts = new LinkedHashMap<>();
        output.rows("clean.csv").forEach(row -> verdicts.put(row.get(0), "CLEAN"));
        output.rows("bound.csv").forEach(row -> verdicts.put(row.get(0), "BOUND " + row.get(2)));
        output.rows("undetermined.csv").forEach(row -> verdicts.put(row.get(0), "UNDETERMINED " + row.get(3)));
        assertThat(output.rows("rejected.csv")).isEmpty();
        assertThat(output.dataRows()).isEqualTo(COUNT);
        Map<String, String> inInputOrder = new LinkedHashMap<>();
        Stream.of(NUMBERS.toArray(String[]::new)).forEach(number -> inInputOrder.put(number, verdicts.get(number)));
        return inInputOrder;
    }
}
