package com.numberaudit.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.number.RejectReason;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.PlatformMeters;
import com.numberaudit.platform.PlatformSettings;
import com.numberaudit.platform.RequestCounts;

/**
 * summary.json: the totals of one audit date, for compliance staff and for monitoring. Every key is documented in
 * README.md ("summary.json"); keys are only ever added.
 *
 * @param mode             {@code production}, or {@code demo} when the built-in simulator answered for every platform
 * @param date             the business date
 * @param rerun            0 for the first audit of the date, n for its n-th rerun ({@code --audit.rerun=true})
 * @param started          when the run began: the start of its first execution (a resumed run began before its kill)
 * @param finished         when its results were written
 * @param durationSeconds  from {@code started} to {@code finished}, also the time between an interruption and its resumption
 * @param executions       how many executions (processes) the run took: 1, or more when it was interrupted and resumed
 * @param fingerprint      SHA-256 of the run's identity (platforms, input files, output folder)
 * @param inputFiles       the files read, in order
 * @param inputRows        the data rows of the input files
 * @param rows             rows written = clean + bound + undetermined + rejected = inputRows + reaudited
 * @param rejectedByReason rejected rows by reason
 * @param reaudited        numbers the ledger held from earlier nights, read again tonight (each also counted in its file)
 * @param escalated        numbers held longer than {@code audit.escalate-after}, listed in escalations.csv
 * @param platformsDown    per platform that failed as a whole ({@link PlatformsDown}: the night needs a look, exit 3),
 *                         its platform-wide reasons and how many numbers each left unanswered; empty on a good night
 * @param requestsCover    which processes the platforms' request statistics cover (see {@link #REQUESTS_COVER})
 * @param platforms        every configured platform by id, the disabled ones too: see {@link PlatformSummary}
 */
public record SummaryReport(
        String mode,
        LocalDate date,
        long rerun,
        Instant started,
        Instant finished,
        double durationSeconds,
        int executions,
        String fingerprint,
        List<String> inputFiles,
        long inputRows,
        long rows,
        long clean,
        long bound,
        long undetermined,
        long rejected,
        Map<RejectReason, Long> rejectedByReason,
        long reaudited,
        long escalated,
        Map<String, Map<String, Long>> platformsDown,
        String requestsCover,
        Map<String, PlatformSummary> platforms) {

    public static final String FILE = "summary.json";
    /**
     * The counts of requests are committed with each chunk, like the totals, so that a night killed and resumed still
     * shows the retries and circuit openings of its first hours; requests sent after a killed process's last commit
     * are lost with it. Percentiles cannot be added up across processes.
     */
    public static final String REQUESTS_COVER = "requests, retries, http429, circuitOpenings: every execution of the run, "
            + "up to its last committed chunk; latencyMs, concurrencyLimitLowest: the execution that finished the audit step";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * One platform's night. {@code bound + notBound + noAnswer} is the number of audited numbers (clean, bound and
     * undetermined rows) when the platform is enabled, 0 when it is not.
     *
     * @param name             display name
     * @param enabled          whether the run asked it (a disabled platform's answer is not required; its counts are 0)
     * @param adapter          how it was asked: {@code binding-check-api} or {@code snapshot-file}
     * @param bound            numbers it answered BOUND
     * @param notBound         numbers it answered NOT_BOUND
     * @param noAnswer         numbers it gave no usable answer for (the sum of {@code noAnswerByReason})
     * @param noAnswerByReason those numbers by reason: {@code HTTP_500}, {@code CIRCUIT_OPEN}, {@code PLATFORM_DOWN:HTTP_401},
     *                         {@code PENDING}, {@code EXPIRED}, … (README.md lists them)
     * @param requests         requests sent: POSTs, their retries, and ticket polls
     * @param retries          attempts repeated after a 5xx, time-out, reset, broken body or 429
     * @param http429          requests answered 429
     * @param latencyMsP50     median time from sending a request to its whole answer, of the requests answered (any HTTP
     *                         status), in ms; null when none was
     * @param latencyMsP99     the 99th percentile of the same
     * @param circuitOpenings  times its circuit opened
     * @param concurrencyLimitLowest the lowest its concurrency limit was lowered to as its answers slowed down (requests
     *                         in flight at most, then); null when it never was
     */
    public record PlatformSummary(String name, boolean enabled, String adapter, long bound, long notBound, long noAnswer,
                                  Map<String, Long> noAnswerByReason, long requests, long retries, long http429,
                                  Double latencyMsP50, Double latencyMsP99, long circuitOpenings, Integer concurrencyLimitLowest) {
    }

    /**
     * When a run began and ended.
     *
     * @param started    the start of its first execution
     * @param finished   now, as its results are written
     * @param executions how many executions it took
     */
    public record Span(Instant started, Instant finished, int executions) {
    }

    /**
     * @param configured the platforms of {@code audit.platforms}, enabled or not
     * @param meters     the request meters of an enabled platform (its latency percentiles)
     */
    public static SummaryReport of(boolean demo, LocalDate date, long rerun, Span span, String fingerprint, List<String> inputFiles,
                                   Map<String, PlatformSettings> configured, AuditTotals totals,
                                   Function<String, PlatformMeters> meters, long escalated) {
        Map<String, Map<BindingAnswer.Status, Long>> answers = totals.answersByPlatform();
        Map<String, Map<String, Long>> unanswered = totals.unansweredByPlatform();
        Map<String, RequestCounts> requests = totals.requestsByPlatform();
        Map<String, PlatformSummary> byPlatform = new TreeMap<>();
        new TreeMap<>(configured).forEach((id, settings) -> {
            Map<BindingAnswer.Status, Long> counts = answers.get(id);
            if (!settings.enabled()) {
                byPlatform.put(id, new PlatformSummary(settings.displayName(id), false, settings.adapter(), 0, 0, 0, Map.of(),
                        0, 0, 0, null, null, 0, null));
                return;
            }
            RequestCounts sent = requests.get(id);
            PlatformMeters platformMeters = meters.apply(id);
            byPlatform.put(id, new PlatformSummary(settings.displayName(id), true, settings.adapter(),
                    counts.get(BindingAnswer.Status.BOUND), counts.get(BindingAnswer.Status.NOT_BOUND),
                    counts.get(BindingAnswer.Status.NO_ANSWER), unanswered.get(id), sent.requests(), sent.retries(), sent.http429(),
                    tenths(platformMeters.latencyMillisP50()), tenths(platformMeters.latencyMillisP99()), sent.circuitOpenings(),
                    platformMeters.lowestConcurrencyLimit()));
        });
        Instant started = span.started().truncatedTo(ChronoUnit.MILLIS);
        Instant finished = span.finished().truncatedTo(ChronoUnit.MILLIS);
        return new SummaryReport(demo ? "demo" : "production", date, rerun, started, finished,
                Duration.between(started, finished).toMillis() / 1000.0, span.executions(), fingerprint, List.copyOf(inputFiles),
                totals.rows() - totals.reaudited(), totals.rows(), totals.clean(), totals.bound(), totals.undetermined(),
                totals.rejected(), totals.rejectedByReason(), totals.reaudited(), escalated, PlatformsDown.of(totals).reasons(),
                REQUESTS_COVER, byPlatform);
    }

    /** To a tenth of a millisecond: finer would claim more than the histogram holds. */
    private static Double tenths(Double millis) {
        return millis == null ? null : Math.round(millis * 10) / 10.0;
    }

    public byte[] toJson() {
        return JSON.writeValueAsBytes(this);
    }

    /** Reads the summary.json a completed run wrote into {@code folder}. */
    public static SummaryReport read(Path folder) {
        return JSON.readValue(folder.resolve(FILE).toFile(), SummaryReport.class);
    }

    /** Whether {@code folder} holds the results of the run with this fingerprint and rerun number. */
    public static boolean isOf(Path folder, String fingerprint, long rerun) throws IOException {
        Path summary = folder.resolve(FILE);
        if (!Files.isRegularFile(summary)) {
            return false;
        }
        JsonNode json = JSON.readTree(summary.toFile());
        return fingerprint.equals(json.path("fingerprint").asString(null)) && json.path("rerun").asLong(-1) == rerun;
    }
}
