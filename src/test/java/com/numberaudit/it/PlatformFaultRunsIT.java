package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.AuditOutput;
import com.numberaudit.PrometheusText;
import com.numberaudit.SampleInput;

/**
 * The packaged jar against its simulator with platforms misbehaving: recoverable faults must give
 * exactly the verdicts of a fault-free run; unrecoverable ones must leave the broken platforms'
 * numbers undetermined, cost the broken platforms few requests (their circuits open, a refused
 * credential marks the platform down) and end the run with exit 3, naming each platform down.
 * How long the runs take is for bench/, not for a test.
 */
class PlatformFaultRunsIT {

    private static final String DATE = "2026-11-28";
    private static final int COUNT = 3000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private List<String> common;

    @BeforeEach
    void writeInput() throws IOException {
        List<String> numbers = SampleInput.mobileNumbers(COUNT, 2026);
        Path input = SampleInput.writeInput(work.resolve("input/pending.csv"), numbers);
        StringBuilder bindings = new StringBuilder("number,platform,status,accounts\n");
        for (int i = 0; i < COUNT; i++) {
            for (String platform : boundOn(i)) {
                bindings.append(numbers.get(i)).append(',').append(platform).append(",BOUND,1\n");
            }
        }
        Path bindingsFile = Files.writeString(work.resolve("bindings.csv"), bindings, StandardCharsets.UTF_8);
        common = List.of("--audit.input=" + input, "--audit.date=" + DATE, "--audit.simulator.bindings=file:" + bindingsFile);
    }

    /** Every 10th number bound on wechat, every 7th on douyin, every 13th on alipay. */
    private static List<String> boundOn(int index) {
        List<String> platforms = new ArrayList<>();
        if (index % 10 == 0) {
            platforms.add("wechat");
        }
        if (index % 7 == 0) {
            platforms.add("douyin");
        }
        if (index % 13 == 0) {
            platforms.add("alipay");
        }
        return platforms;
    }

    @Test
    void recoverableFaultsGiveExactlyTheVerdictsOfAFaultFreeRun() throws IOException {
        JarRun.Result reference = completed(run("reference"));
        JarRun.Result faulty = completed(run("recoverable",
                // wechat: its first 3 requests refused with 429 and Retry-After: 1
                "--audit.simulator.faults.wechat.error-status=429", "--audit.simulator.faults.wechat.fail-first=3",
                "--audit.platforms.wechat.retry.max-attempts=8",
                // qq: 20 % of requests answered 503
                "--audit.simulator.faults.qq.error-status=503", "--audit.simulator.faults.qq.error-rate=0.2",
                "--audit.platforms.qq.retry.max-attempts=8",
                // alipay: accepts at most 100 ids a request; we send 500
                "--audit.simulator.faults.alipay.max-batch=100",
                // taobao: bearer token; jd: signed requests; baidu: hashed ids
                "--audit.simulator.faults.taobao.token=tb-t0ken", "--audit.platforms.taobao.token=tb-t0ken",
                "--audit.simulator.faults.jd.hmac-secret=jd-s3cret", "--audit.platforms.jd.hmac-secret=jd-s3cret",
                "--audit.simulator.faults.baidu.id-key=bd-k3y", "--audit.platforms.baidu.id-type=HMAC-SHA256",
                "--audit.platforms.baidu.id-key=bd-k3y"));

        for (String file : AuditOutput.FILES) {
            assertThat(output("recoverable").resolve(file)).as(file).hasSameBinaryContentAs(output("reference").resolve(file));
        }
        Map<String, Integer> served = faulty.servedRequests();
        assertThat(served.get("wechat")).as("wechat retried its 429s").isEqualTo(reference.servedRequests().get("wechat") + 3);
        assertThat(served.get("alipay")).as("alipay's batches were split").isGreaterThanOrEqualTo(COUNT / 100);
        JsonNode platforms = summary("recoverable").get("platforms");
        assertRequestsAsReceived(platforms, served, Set.of());
        assertThat(platforms.get("wechat").get("http429").asLong()).as("summary.json: wechat's 429s").isEqualTo(3);
        assertThat(platforms.get("wechat").get("retries").asLong()).isEqualTo(3);
        assertThat(platforms.get("qq").get("retries").asLong()).as("summary.json: qq's 503s, each retried").isPositive();
        System.out.printf("recoverable faults: requests per platform %s (fault-free: %s)%n", served, reference.servedRequests());
    }

    @Test
    void unrecoverableFaultsLeaveTheBrokenPlatformsNumbersUndetermined() throws IOException {
        completed(run("reference"));
        JarRun.Result broken = run("unrecoverable",
                "--audit.simulator.faults.wechat.error-status=500",
                "--audit.simulator.faults.qq.hang=true", "--audit.platforms.qq.timeout=2s",
                "--audit.simulator.faults.alipay.broken-json=true",
                "--audit.simulator.faults.taobao.token=tb-t0ken", "--audit.platforms.taobao.token=wrong-t0ken");

        AuditOutput reference = new AuditOutput(output("reference"));
        AuditOutput result = new AuditOutput(output("unrecoverable"));
        Set<String> brokenPlatforms = Set.of("wechat", "qq", "alipay", "taobao");
        assertThat(result.rows("clean.csv")).isEmpty();
        List<String> stillBound = reference.rows("bound.csv").stream()
                .filter(row -> Arrays.stream(row.get(2).split(";")).anyMatch(id -> !brokenPlatforms.contains(id)))
                .map(row -> row.get(0)).toList();
        assertThat(result.numbers("bound.csv")).containsExactlyElementsOf(stillBound);
        assertThat(result.rows("undetermined.csv")).hasSize(COUNT - stillBound.size())
                .allSatisfy(row -> assertThat(row.get(2).split(";")).contains("alipay", "qq", "taobao", "wechat"));
        Map<String, Integer> served = broken.servedRequests();
        assertThat(served.get("taobao")).as("401 marks taobao down at its first answer").isLessThanOrEqualTo(4);
        for (String platform : List.of("wechat", "qq", "alipay")) {
            assertThat(served.get(platform)).as(platform + " stopped by its circuit breaker").isLessThanOrEqualTo(16);
        }
        assertThat(broken.exitCode()).as("completed, but platforms were down\n" + broken.describe()).isEqualTo(3);
        assertThat(broken.stdout().lines().filter(line -> line.contains(": completed, but platform")).toList())
                .as("one line per platform down, its numbers held and why").satisfiesExactly(
                        line -> assertThat(line).matches(circuitOpened("alipay", "BROKEN_RESPONSE")),
                        line -> assertThat(line).matches(circuitOpened("qq", "TIMEOUT")),
                        line -> assertThat(line).isEqualTo("number-audit " + DATE + ": completed, but platform taobao was down: "
                                + "3,000 numbers held (PLATFORM_DOWN:HTTP_401)"),
                        line -> assertThat(line).matches(circuitOpened("wechat", "HTTP_500")));
        JsonNode down = summary("unrecoverable").get("platformsDown");
        assertThat(down.propertyNames()).containsExactly("alipay", "qq", "taobao", "wechat");
        assertThat(down.get("taobao").get("PLATFORM_DOWN:HTTP_401").asLong()).isEqualTo(COUNT);
        assertThat(PrometheusText.parse(Files.readString(output("unrecoverable").resolve("metrics.prom"))).value("number_audit_exit_code"))
                .as("metrics.prom: the exit code the scheduler got").isEqualTo(3);
        JsonNode platforms = summary("unrecoverable").get("platforms");
        // a request to the hanging qq may wait for a connection the simulator never accepts: sent, never received
        assertRequestsAsReceived(platforms, served, Set.of("qq"));
        for (String platform : List.of("wechat", "qq", "alipay")) {
            assertThat(platforms.get(platform).get("circuitOpenings").asLong()).as("summary.json: %s's circuit opened", platform)
                    .isPositive();
            assertThat(platforms.get(platform).get("noAnswerByReason").get("CIRCUIT_OPEN").asLong()).as(platform).isPositive();
        }
        assertThat(platforms.get("taobao").get("noAnswerByReason").toString()).as("summary.json: taobao down all night")
                .isEqualTo("{\"PLATFORM_DOWN:HTTP_401\":" + COUNT + "}");
        System.out.printf("unrecoverable faults: requests per platform %s%n", served);
    }

    private JarRun.Result run(String name, String... faults) {
        List<String> args = new ArrayList<>(common);
        args.add("--audit.output=" + work.resolve(name));
        args.addAll(List.of(faults));
        return JarRun.run(work, name, args);
    }

    private static JarRun.Result completed(JarRun.Result result) {
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return result;
    }

    /**
     * All 3,000 numbers held: those of the batches whose tries ran out on the fault itself before the circuit opened
     * (how many depends on how many requests were in flight as it opened), the rest refused by the open circuit.
     */
    private static String circuitOpened(String platform, String fault) {
        return "number-audit " + DATE + ": completed, but platform " + platform + " was down: "
                + String.format(Locale.ROOT, "%,d", COUNT) + " numbers held \\((CIRCUIT_OPEN"
                + "|" + fault + " [0-9,]+, CIRCUIT_OPEN [0-9,]+|CIRCUIT_OPEN [0-9,]+, " + fault + " [0-9,]+)\\)";
    }

    private JsonNode summary(String name) {
        return JSON.readTree(output(name).resolve("summary.json").toFile());
    }

    /** summary.json's requests of each platform are the requests it received (at least, for those in {@code sentOnly}). */
    private static void assertRequestsAsReceived(JsonNode platforms, Map<String, Integer> served, Set<String> sentOnly) {
        served.forEach((platform, received) -> {
            long sent = platforms.get(platform).get("requests").asLong();
            if (sentOnly.contains(platform)) {
                assertThat(sent).as("summary.json: %s's requests", platform).isGreaterThanOrEqualTo(received.longValue());
            } else {
                assertThat(sent).as("summary.json: %s's requests", platform).isEqualTo(received.longValue());
            }
        });
    }

    private Path output(String name) {
        return work.resolve(name).resolve(DATE);
    }
}
