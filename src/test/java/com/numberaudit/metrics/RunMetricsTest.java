package com.numberaudit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.numberaudit.PrometheusText;
import com.numberaudit.number.RejectReason;
import com.numberaudit.platform.RequestCounts;
import com.numberaudit.platform.RequestMeters;
import com.numberaudit.report.SummaryReport;

/** metrics.prom and its push: what node_exporter's textfile collector and a Pushgateway are given. */
@ExtendWith(OutputCaptureExtension.class)
class RunMetricsTest {

    private static final LocalDate DATE = LocalDate.of(2026, 11, 28);
    private static final Instant FINISHED = Instant.parse("2026-11-29T02:10:00Z");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private HttpServer pushgateway;

    @AfterEach
    void stop() {
        if (pushgateway != null) {
            pushgateway.stop(0);
        }
        registry.close();
    }

    @Test
    void theExpositionParsesAndSaysWhatSummaryJsonSays() {
        new RequestMeters(registry).of("jd").carryOver(new RequestCounts(12, 3, 1, 2));

        PrometheusText metrics = PrometheusText.parse(new RunMetrics(registry, new MetricsSettings(null)).exposition(summary(), 0));

        assertThat(metrics.value("number_audit_last_run_timestamp_seconds")).isEqualTo(FINISHED.getEpochSecond());
        assertThat(metrics.value("number_audit_duration_seconds")).isEqualTo(600.5);
        assertThat(metrics.value("number_audit_exit_code")).isZero();
        assertThat(metrics.value("number_audit_run_info", "business_date", "2026-11-28", "mode", "production", "rerun", "0")).isEqualTo(1);
        assertThat(metrics.value("number_audit_rows", "verdict", "clean")).isEqualTo(5);
        assertThat(metrics.value("number_audit_rows", "verdict", "undetermined")).isEqualTo(2);
        assertThat(metrics.value("number_audit_rejected_rows", "reason", "DUPLICATE")).isEqualTo(1);
        assertThat(metrics.value("number_audit_input_rows")).isEqualTo(9);
        assertThat(metrics.value("number_audit_platform_enabled", "platform", "qq")).isZero();
        assertThat(metrics.value("number_audit_platform_numbers", "platform", "jd", "answer", "no_answer")).isEqualTo(2);
        assertThat(metrics.value("number_audit_platform_unanswered_numbers", "platform", "jd", "reason", "PLATFORM_DOWN:HTTP_401"))
                .isEqualTo(2);
        assertThat(metrics.value("number_audit_platform_requests_total", "platform", "jd")).isEqualTo(12);
        assertThat(metrics.value("number_audit_platform_retries_total", "platform", "jd")).isEqualTo(3);
        assertThat(metrics.value("number_audit_platform_http429_total", "platform", "jd")).isEqualTo(1);
        assertThat(metrics.value("number_audit_platform_circuit_openings_total", "platform", "jd")).isEqualTo(2);
        assertThat(metrics.value("number_audit_platform_concurrency_limit_lowest", "platform", "jd")).isEqualTo(3);
        assertThat(metrics.samples()).as("no lowest limit for a platform never lowered")
                .noneMatch(sample -> sample.name().equals("number_audit_platform_concurrency_limit_lowest") && sample.labels().containsValue("qq"));
        assertThat(metrics.samples()).as("no numbers by answer for a disabled platform")
                .noneMatch(sample -> sample.name().equals("number_audit_platform_numbers") && sample.labels().containsValue("qq"));
    }

    @Test
    void aLineThatIsNeitherACommentNorASampleIsRefused() {
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=\"1\"} 2\nx 1 2 3\n"))
                .hasMessageContaining("line 3 is neither a comment nor a sample");
    }

    @Test
    void thePushPutsTheSameTextUnderTheJobAndTheDate() throws IOException {
        List<String> received = new CopyOnWriteArrayList<>();
        startPushgateway(200, received);
        RunMetrics metrics = new RunMetrics(registry, new MetricsSettings(pushgatewayUrl() + "/"));
        String exposition = metrics.exposition(summary(), 0);

        metrics.push(DATE, exposition);

        assertThat(received).containsExactly("PUT /metrics/job/number_audit/date/2026-11-28",
                "text/plain; version=0.0.4; charset=utf-8", exposition);
    }

    @Test
    void aPushThatFailsIsAWarningAndNothingMore(CapturedOutput output) throws IOException {
        startPushgateway(500, new CopyOnWriteArrayList<>());
        new RunMetrics(registry, new MetricsSettings(pushgatewayUrl())).push(DATE, "x 1\n");
        String refused = pushgatewayUrl();
        pushgateway.stop(0);
        pushgateway = null;
        new RunMetrics(registry, new MetricsSettings(refused)).push(DATE, "x 1\n");

        assertThat(output.getOut()).contains("WARN").contains("Metrics not pushed: " + refused
                + "/metrics/job/number_audit/date/2026-11-28 answered HTTP 500 the gateway is down")
                .contains("Metrics not pushed to " + refused + "/metrics/job/number_audit/date/2026-11-28: java.net.ConnectException");
    }

    @Test
    void withoutAPushgatewayNothingIsSent(CapturedOutput output) {
        new RunMetrics(registry, new MetricsSettings(null)).push(DATE, "x 1\n");

        assertThat(output.getOut()).doesNotContain("Metrics");
    }

    private void startPushgateway(int status, List<String> received) throws IOException {
        pushgateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pushgateway.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            received.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = (status == 200 ? "" : "the gateway is down\nmore").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        pushgateway.start();
    }

    private String pushgatewayUrl() {
        return "http://127.0.0.1:" + pushgateway.getAddress().getPort();
    }

    private static SummaryReport summary() {
        SummaryReport.PlatformSummary jd = new SummaryReport.PlatformSummary("JD", true, "binding-check-api", 1, 5, 2,
                Map.of("PLATFORM_DOWN:HTTP_401", 2L), 12, 3, 1, 40.5, 120.0, 2, 3);
        SummaryReport.PlatformSummary qq = new SummaryReport.PlatformSummary("QQ", false, "binding-check-api", 0, 0, 0, Map.of(),
                0, 0, 0, null, null, 0, null);
        return new SummaryReport("production", DATE, 0, FINISHED.minusMillis(600_500), FINISHED, 600.5, 1, "f1ng3rpr1nt",
                List.of("a.csv"), 9, 9, 5, 1, 2, 1, Map.of(RejectReason.DUPLICATE, 1L), 0, 0,
                Map.of("jd", Map.of("PLATFORM_DOWN:HTTP_401", 2L)), SummaryReport.REQUESTS_COVER,
                Map.of("jd", jd, "qq", qq));
    }
}
