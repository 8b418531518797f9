package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.AuditOutput;
import com.numberaudit.PrometheusText;
import com.numberaudit.SampleInput;

/**
 * What the morning's readers and monitoring get from a night with every outcome (the shipped sample: clean, bound,
 * undetermined for two reasons, rejected for six; one platform disabled, two that fail at first and then answer):
 * summary.json agrees with the four CSV files, platform by platform and reason by reason, and with what the platforms
 * received; metrics.prom parses line by line, agrees with summary.json, and is what the Pushgateway was sent.
 */
@Timeout(180)
class SummaryAndMetricsIT {

    private static final String DATE = "2026-11-28";
    private static final Path SHIPPED_INPUT = JarRun.PROJECT.resolve("input");
    private static final Path DEMO_BINDINGS = JarRun.PROJECT.resolve("src/main/resources/demo/demo-bindings.csv");
    private static final String DISABLED = "netease";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void summaryJsonAgreesWithTheFourFilesAndMetricsPromWithSummaryJson() throws Exception {
        Path input = copyShippedInput();
        // the demo's bindings, and one number bilibili answers only later (asked alone: batch-size 1)
        Path bindings = Files.writeString(dir.resolve("bindings.csv"),
                Files.readString(DEMO_BINDINGS) + "13600003333,bilibili,PENDING,\n", StandardCharsets.UTF_8);
        List<String> pushed = new CopyOnWriteArrayList<>();
        HttpServer pushgateway = pushgateway(pushed);
        JarRun.Result run;
        try {
            run = JarRun.run(dir, "night", "--audit.input=" + input, "--audit.output=" + dir.resolve("output"), "--audit.date=" + DATE,
                    "--audit.simulator.bindings=file:" + bindings,
                    "--audit.platforms.bilibili.batch-size=1", "--audit.platforms.bilibili.pending-wait=1s",
                    "--audit.simulator.faults.jd.error-status=503", "--audit.simulator.faults.jd.fail-first=2",
                    "--audit.simulator.faults.qq.error-status=429", "--audit.simulator.faults.qq.fail-first=1",
                    "--audit.simulator.faults.qq.retry-after=0s",
                    "--audit.platforms." + DISABLED + ".enabled=false",
                    "--audit.metrics.pushgateway-url=http://127.0.0.1:" + pushgateway.getAddress().getPort());
        } finally {
            pushgateway.stop(0);
        }
        assertThat(run.exitCode()).as(run.describe()).isZero();
        AuditOutput output = new AuditOutput(dir.resolve("output").resolve(DATE));
        JsonNode summary = JSON.readTree(output.folder().resolve("summary.json").toFile());

        assertTotalsAreTheFiles(output, summary, inputDataRows(input));
        assertPlatformsAreTheFiles(output, summary);
        assertRequestsAreWhatThePlatformsReceived(summary, run.servedRequests());
        String metricsFile = Files.readString(output.folder().resolve("metrics.prom"));
        assertMetricsAreTheSummary(PrometheusText.parse(metricsFile), summary);
        assertThat(pushed).as("what the Pushgateway was sent").containsExactly("PUT /metrics/job/number_audit/date/" + DATE, metricsFile);
    }

    private static void assertTotalsAreTheFiles(AuditOutput output, JsonNode summary, long inputRows) {
        for (String file : AuditOutput.FILES) {
            assertThat(summary.get(file.replace(".csv", "")).asLong()).as(file).isEqualTo(output.rows(file).size()).isPositive();
        }
        assertThat(summary.get("rows").asLong()).as("rows = clean + bound + undetermined + rejected").isEqualTo(output.dataRows())
                .isEqualTo(summary.get("inputRows").asLong() + summary.get("reaudited").asLong());
        assertThat(summary.get("inputRows").asLong()).as("the data rows of the input").isEqualTo(inputRows);
        Map<String, Long> rejectedByReason = new TreeMap<>();
        output.rows("rejected.csv").forEach(row -> rejectedByReason.merge(row.get(3), 1L, Long::sum));
        assertThat(rejectedByReason).hasSizeGreaterThanOrEqualTo(2);
        assertThat(counts(summary.get("rejectedByReason"))).isEqualTo(rejectedByReason);
        assertThat(summary.get("executions").asInt()).isEqualTo(1);
        assertThat(summary.get("durationSeconds").asDouble()).isPositive();
    }

    /** bound.csv names the platforms holding a binding, undetermined.csv each unanswered platform and why; the rest said NOT_BOUND. */
    private static void assertPlatformsAreTheFiles(AuditOutput output, JsonNode summary) {
        long audited = output.rows("clean.csv").size() + output.rows("bound.csv").size() + output.rows("undetermined.csv").size();
        Map<String, Long> bound = new TreeMap<>();
        output.rows("bound.csv").forEach(row -> List.of(row.get(2).split(";")).forEach(id -> bound.merge(id, 1L, Long::sum)));
        Map<String, Map<String, Long>> unanswered = new TreeMap<>();
        for (List<String> row : output.rows("undetermined.csv")) {
            for (String platformReason : row.get(3).split(";")) {
                String[] idAndReason = platformReason.split(":", 2);
                unanswered.computeIfAbsent(idAndReason[0], id -> new TreeMap<>()).merge(idAndReason[1], 1L, Long::sum);
            }
        }
        assertThat(unanswered.values().stream().flatMap(reasons -> reasons.keySet().stream()).distinct())
                .as("undetermined for at least two reasons").hasSizeGreaterThanOrEqualTo(2);

        JsonNode platforms = summary.get("platforms");
        assertThat(fieldNames(platforms)).containsExactlyInAnyOrderElementsOf(SampleInput.SHIPPED_PLATFORMS);
        for (String id : SampleInput.SHIPPED_PLATFORMS) {
            JsonNode platform = platforms.get(id);
            if (id.equals(DISABLED)) {
                assertThat(platform.get("enabled").asBoolean()).isFalse();
                assertThat(platform.get("bound").asLong() + platform.get("notBound").asLong() + platform.get("noAnswer").asLong()
                        + platform.get("requests").asLong()).as(id).isZero();
                continue;
            }
            Map<String, Long> reasons = unanswered.getOrDefault(id, Map.of());
            long noAnswer = reasons.values().stream().mapToLong(Long::longValue).sum();
            long boundHere = bound.getOrDefault(id, 0L);
            assertThat(platform.get("enabled").asBoolean()).as(id).isTrue();
            assertThat(platform.get("adapter").asString()).as(id).isEqualTo("binding-check-api");
            assertThat(platform.get("bound").asLong()).as("%s: bound", id).isEqualTo(boundHere);
            assertThat(platform.get("noAnswer").asLong()).as("%s: no answer", id).isEqualTo(noAnswer);
            assertThat(counts(platform.get("noAnswerByReason"))).as("%s: no answer by reason", id)
                    .isEqualTo(reasons);
            assertThat(platform.get("notBound").asLong()).as("%s: not bound", id).isEqualTo(audited - boundHere - noAnswer);
        }
    }

    private static void assertRequestsAreWhatThePlatformsReceived(JsonNode summary, Map<String, Integer> served) {
        JsonNode platforms = summary.get("platforms");
        for (String id : SampleInput.SHIPPED_PLATFORMS) {
            JsonNode platform = platforms.get(id);
            assertThat(platform.get("requests").asLong()).as("%s: requests sent = requests the simulator received", id)
                    .isEqualTo(served.getOrDefault(id, 0).longValue());
            assertThat(platform.get("circuitOpenings").asLong()).as(id).isZero();
            if (!id.equals(DISABLED)) {
                assertThat(platform.get("latencyMsP50").asDouble()).as(id).isPositive();
                assertThat(platform.get("latencyMsP99").asDouble()).as(id).isGreaterThanOrEqualTo(platform.get("latencyMsP50").asDouble());
            }
        }
        assertThat(platforms.get("jd").get("retries").asLong()).as("jd: two 503s, then the answer").isEqualTo(2);
        assertThat(platforms.get("jd").get("requests").asLong()).isEqualTo(3);
        assertThat(platforms.get("qq").get("http429").asLong()).as("qq: one 429").isEqualTo(1);
        assertThat(platforms.get("qq").get("retries").asLong()).isEqualTo(1);
        assertThat(platforms.get("bilibili").get("requests").asLong()).as("bilibili: one number a request, and a ticket poll")
                .isGreaterThan(platforms.get("bilibili").get("notBound").asLong() + 1);
    }

    private static void assertMetricsAreTheSummary(PrometheusText metrics, JsonNode summary) {
        assertThat(metrics.value("number_audit_exit_code")).isZero();
        assertThat(metrics.value("number_audit_last_run_timestamp_seconds") * 1000)
                .isEqualTo(Instant.parse(summary.get("finished").asString()).toEpochMilli(), within(0.5));
        assertThat(metrics.value("number_audit_duration_seconds")).isEqualTo(summary.get("durationSeconds").asDouble());
        assertThat(metrics.value("number_audit_input_rows")).isEqualTo(summary.get("inputRows").asDouble());
        for (String verdict : List.of("clean", "bound", "undetermined", "rejected")) {
            assertThat(metrics.value("number_audit_rows", "verdict", verdict)).as(verdict).isEqualTo(summary.get(verdict).asDouble());
        }
        summary.get("rejectedByReason").properties().forEach(reason -> assertThat(
                metrics.value("number_audit_rejected_rows", "reason", reason.getKey())).isEqualTo(reason.getValue().asDouble()));
        summary.get("platforms").properties().forEach(entry -> {
            String id = entry.getKey();
            JsonNode platform = entry.getValue();
            assertThat(metrics.value("number_audit_platform_enabled", "platform", id)).isEqualTo(platform.get("enabled").asBoolean() ? 1 : 0);
            if (!platform.get("enabled").asBoolean()) {
                return;
            }
            assertThat(metrics.value("number_audit_platform_numbers", "platform", id, "answer", "bound")).isEqualTo(platform.get("bound").asDouble());
            assertThat(metrics.value("number_audit_platform_numbers", "platform", id, "answer", "not_bound"))
                    .isEqualTo(platform.get("notBound").asDouble());
            assertThat(metrics.value("number_audit_platform_numbers", "platform", id, "answer", "no_answer"))
                    .isEqualTo(platform.get("noAnswer").asDouble());
            platform.get("noAnswerByReason").properties().forEach(reason -> assertThat(
                    metrics.value("number_audit_platform_unanswered_numbers", "platform", id, "reason", reason.getKey()))
                    .isEqualTo(reason.getValue().asDouble()));
            for (String[] counter : new String[][] {{"requests", "requests"}, {"retries", "retries"}, {"http429", "http429"},
                    {"circuitOpenings", "circuit_openings"}}) {
                assertThat(metrics.value("number_audit_platform_" + counter[1] + "_total", "platform", id)).as("%s: %s", id, counter[0])
                        .isEqualTo(platform.get(counter[0]).asDouble());
            }
            assertThat(metrics.value("number_audit_platform_latency_seconds", "platform", id, "quantile", "0.5") * 1000)
                    .isEqualTo(platform.get("latencyMsP50").asDouble(), within(0.05));
            assertThat(metrics.value("number_audit_platform_latency_seconds", "platform", id, "quantile", "0.99") * 1000)
                    .isEqualTo(platform.get("latencyMsP99").asDouble(), within(0.05));
            boolean lowered = !platform.get("concurrencyLimitLowest").isNull();
            assertThat(metrics.samples().stream().filter(sample -> sample.name().equals("number_audit_platform_concurrency_limit_lowest")
                    && id.equals(sample.labels().get("platform"))).map(PrometheusText.Sample::value).toList()).as(id)
                    .isEqualTo(lowered ? List.of(platform.get("concurrencyLimitLowest").asDouble()) : List.of());
        });
        // Spring Batch's own observations: the job and both steps, never one per item
        assertThat(metrics.value("spring_batch_job_seconds_count", "error", "none", "spring_batch_job_name", "numberAudit",
                "spring_batch_job_status", "COMPLETED")).isEqualTo(1);
        for (String step : List.of("audit", "report")) {
            assertThat(metrics.samples()).as("step " + step).anyMatch(sample -> sample.name().equals("spring_batch_step_seconds_count")
                    && step.equals(sample.labels().get("spring_batch_step_name")) && sample.value() == 1);
        }
        assertThat(metrics.samples()).noneMatch(sample -> sample.name().startsWith("spring_batch_item"));
    }

    private Path copyShippedInput() throws IOException {
        Path input = Files.createDirectories(dir.resolve("input"));
        try (Stream<Path> files = Files.list(SHIPPED_INPUT)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
                Files.copy(file, input.resolve(file.getFileName()));
            }
        }
        return input;
    }

    /** Non-blank lines after each file's header (read byte for byte: a line that is not UTF-8 is still a row). */
    private static long inputDataRows(Path input) throws IOException {
        long rows = 0;
        try (Stream<Path> files = Files.list(input)) {
            for (Path file : files.toList()) {
                rows += Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream().filter(line -> !line.isBlank()).count() - 1;
            }
        }
        return rows;
    }

    /** A stand-in Pushgateway on loopback: keeps each request's method and path, and its body. */
    private static HttpServer pushgateway(List<String> received) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** A JSON object of counts, as a sorted map. */
    private static Map<String, Long> counts(JsonNode object) {
        Map<String, Long> counts = new TreeMap<>();
        object.properties().forEach(entry -> counts.put(entry.getKey(), entry.getValue().asLong()));
        return counts;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
