package com.numberaudit.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.numberaudit.report.SummaryReport;

/**
 * A completed run's metrics in the Prometheus text format, for {@code metrics.prom} in the night's folder (the
 * convention of node_exporter's textfile collector for batch jobs) and, when {@code audit.metrics.pushgateway-url} is
 * set, for a Pushgateway: the summary's figures as gauges (the same numbers as summary.json), the platforms' request
 * meters, and Spring Batch's job and step timers, all from the run's Micrometer registry.
 */
@Component
public class RunMetrics {

    public static final String FILE = "metrics.prom";
    /** The job's name in the Pushgateway's grouping key. */
    static final String JOB = "number_audit";
    private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(RunMetrics.class);

    private final PrometheusMeterRegistry registry;
    private final MetricsSettings settings;

    public RunMetrics(PrometheusMeterRegistry registry, MetricsSettings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    /**
     * The run's metrics, as node_exporter's textfile collector and a Pushgateway read them (text format 0.0.4).
     *
     * @param summary  what the run wrote into summary.json
     * @param exitCode the process's exit code for this run
     */
    public String exposition(SummaryReport summary, int exitCode) {
        gauge("number.audit.run.info", "the business date, mode and rerun of the run (value 1)", 1,
                Tags.of("business_date", summary.date().toString(), "mode", summary.mode(), "rerun", Long.toString(summary.rerun())));
        gauge("number.audit.last.run.timestamp.seconds", "when the run completed, in seconds since the epoch",
                summary.finished().toEpochMilli() / 1000.0, Tags.empty());
        gauge("number.audit.duration.seconds", "from the start of the run's first execution to its completion",
                summary.durationSeconds(), Tags.empty());
        gauge("number.audit.executions", "executions (processes) the run took: more than 1 when it was interrupted and resumed",
                summary.executions(), Tags.empty());
        gauge("number.audit.exit.code", "the process's exit code: 0 completed, 3 completed but a platform was down", exitCode,
                Tags.empty());
        gauge("number.audit.input.rows", "data rows of the input files", summary.inputRows(), Tags.empty());
        gauge("number.audit.reaudited.rows", "numbers the ledger held from earlier nights, checked again", summary.reaudited(),
                Tags.empty());
        gauge("number.audit.escalated.numbers", "numbers held longer than audit.escalate-after (escalations.csv)",
                summary.escalated(), Tags.empty());
        String rows = "number.audit.rows";
        String rowsHelp = "rows written, by verdict (their sum is the input's rows and the re-audited numbers)";
        gauge(rows, rowsHelp, summary.clean(), Tags.of("verdict", "clean"));
        gauge(rows, rowsHelp, summary.bound(), Tags.of("verdict", "bound"));
        gauge(rows, rowsHelp, summary.undetermined(), Tags.of("verdict", "undetermined"));
        gauge(rows, rowsHelp, summary.rejected(), Tags.of("verdict", "rejected"));
        summary.rejectedByReason().forEach((reason, count) ->
                gauge("number.audit.rejected.rows", "rejected rows by reason", count, Tags.of("reason", reason.name())));
        summary.platforms().forEach((id, platform) -> {
            gauge("number.audit.platform.enabled", "1 when the run asked the platform, 0 when it is disabled",
                    platform.enabled() ? 1 : 0, Tags.of("platform", id));
            if (platform.enabled()) {
                String numbers = "number.audit.platform.numbers";
                String numbersHelp = "audited numbers by the platform's answer";
                gauge(numbers, numbersHelp, platform.bound(), Tags.of("platform", id, "answer", "bound"));
                gauge(numbers, numbersHelp, platform.notBound(), Tags.of("platform", id, "answer", "not_bound"));
                gauge(numbers, numbersHelp, platform.noAnswer(), Tags.of("platform", id, "answer", "no_answer"));
                platform.noAnswerByReason().forEach((reason, count) -> gauge("number.audit.platform.unanswered.numbers",
                        "numbers the platform gave no usable answer for, by reason", count, Tags.of("platform", id, "reason", reason)));
                if (platform.concurrencyLimitLowest() != null) {
                    gauge("number.audit.platform.concurrency.limit.lowest", "the fewest requests in flight the platform was "
                            + "held to as its answers slowed down (absent: never lowered)", platform.concurrencyLimitLowest(),
                            Tags.of("platform", id));
                }
            }
        });
        return registry.scrape();
    }

    private void gauge(String name, String description, double value, Tags tags) {
        Gauge.builder(name, () -> value).description(description).tags(tags).register(registry);
    }

    /**
     * PUTs the metrics to {@code <audit.metrics.pushgateway-url>/metrics/job/number_audit/date/<date>}, replacing what
     * an earlier push of the date left there. A push that fails is a warning: the run's results stand.
     */
    public void push(LocalDate date, String exposition) {
        if (settings.pushgatewayUrl() == null) {
            return;
        }
        String base = settings.pushgatewayUrl().replaceAll("/+$", "");
        URI target = URI.create(base + "/metrics/job/" + JOB + "/date/" + date);
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(PUSH_TIMEOUT)
                .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString(exposition, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(PUSH_TIMEOUT).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                log.info("Metrics pushed to {}", target);
            } else {
                log.warn("Metrics not pushed: {} answered HTTP {} {}", target, response.statusCode(), firstLine(response.body()));
            }
        } catch (IOException e) {
            log.warn("Metrics not pushed to {}: {}", target, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Metrics not pushed to {}: interrupted", target);
        }
    }

    private static String firstLine(String body) {
        String line = body == null ? "" : body.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
