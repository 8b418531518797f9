package com.numberaudit.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.number.RejectReason;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.Platform;

/**
 * summary.json: the totals of one audit date, for compliance staff and for monitoring.
 *
 * @param mode             {@code production}, or {@code demo} when the built-in simulator answered for every platform
 * @param date             the business date
 * @param rerun            0 for the first audit of the date, n for its n-th rerun ({@code --audit.rerun=true})
 * @param fingerprint      SHA-256 of the run's identity (platforms, input files, output folder)
 * @param inputFiles       the files read, in order
 * @param rows             rows written (= clean + bound + undetermined + rejected): the data rows of the input, and
 *                         the numbers re-audited from the ledger
 * @param rejectedByReason rejected rows by reason
 * @param platforms        per platform id: its name and how many numbers it answered BOUND,
 *                         NOT_BOUND, or gave no usable answer for
 * @param reaudited        numbers the ledger held from earlier nights, read again tonight (each also counted in its file)
 * @param escalated        numbers held longer than {@code audit.escalate-after}, listed in escalations.csv
 * @param platformsDown    per platform that failed as a whole ({@link PlatformsDown}: the night needs a look, exit 3),
 *                         its platform-wide reasons and how many numbers each left unanswered; empty on a good night
 */
public record SummaryReport(
        String mode,
        LocalDate date,
        long rerun,
        String fingerprint,
        List<String> inputFiles,
        long rows,
        long clean,
        long bound,
        long undetermined,
        long rejected,
        Map<RejectReason, Long> rejectedByReason,
        Map<String, PlatformSummary> platforms,
        long reaudited,
        long escalated,
        Map<String, Map<String, Long>> platformsDown) {

    public static final String FILE = "summary.json";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public record PlatformSummary(String name, long bound, long notBound, long noAnswer) {
    }

    public static SummaryReport of(boolean demo, LocalDate date, long rerun, String fingerprint, List<String> inputFiles,
                                   List<Platform> platforms, AuditTotals totals, long escalated) {
        Map<String, PlatformSummary> byPlatform = new LinkedHashMap<>();
        Map<String, Map<BindingAnswer.Status, Long>> answers = totals.answersByPlatform();
        for (Platform platform : platforms) {
            Map<BindingAnswer.Status, Long> counts = answers.get(platform.id());
            byPlatform.put(platform.id(), new PlatformSummary(platform.displayName(),
                    counts.get(BindingAnswer.Status.BOUND), counts.get(BindingAnswer.Status.NOT_BOUND),
                    counts.get(BindingAnswer.Status.NO_ANSWER)));
        }
        return new SummaryReport(demo ? "demo" : "production", date, rerun, fingerprint, List.copyOf(inputFiles),
                totals.rows(), totals.clean(), totals.bound(), totals.undetermined(), totals.rejected(),
                totals.rejectedByReason(), byPlatform, totals.reaudited(), escalated, PlatformsDown.of(totals).reasons());
    }

    public byte[] toJson() {
        return JSON.writeValueAsBytes(this);
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
