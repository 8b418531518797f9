package com.numberaudit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.numberaudit.ledger.Escalations;
import com.numberaudit.number.RejectReason;

/** report.html as a person opens it: self-contained, bars that match the counts, numbers masked, names escaped. */
class ReportHtmlTest {

    private static final Pattern BAR = Pattern.compile("<rect data-platform=\"([^\"]*)\" data-count=\"(\\d+)\"[^>]* width=\"([\\d.]+)\"");

    @Test
    void theChartsBarsMatchTheCountsAndThePageFetchesNothingAndShowsNoFullNumber() {
        Map<String, SummaryReport.PlatformSummary> platforms = new TreeMap<>(Map.of(
                "alipay", platform("Alipay", true, 3, 10, Map.of()),
                "jd", platform("J<D> & \"Co\"", true, 12, 0, Map.of("HTTP_500", 1L)),
                "qq", platform("QQ", false, 0, 0, Map.of()),
                "wechat", platform("WeChat", true, 6, 5, Map.of("CIRCUIT_OPEN", 2L))));
        SummaryReport summary = new SummaryReport("demo", LocalDate.of(2026, 11, 28), 0, Instant.parse("2026-11-29T02:00:00Z"),
                Instant.parse("2026-11-29T02:01:00Z"), 60.0, 1, "f1ng3rpr1nt", List.of("a.csv"), 20, 22, 5, 12, 3, 2,
                Map.of(RejectReason.INVALID, 2L), 2, 2, Map.of("wechat", Map.of("PLATFORM_DOWN:HTTP_401", 2L)),
                SummaryReport.REQUESTS_COVER, platforms);
        List<Escalations.Escalation> held = List.of(
                new Escalations.Escalation("13832738807", LocalDate.of(2026, 10, 1), "wechat", "BOUND"),
                new Escalations.Escalation("15912345678", LocalDate.of(2026, 10, 3), "jd", "HTTP_500"));

        String html = new String(ReportHtml.render(summary, held), StandardCharsets.UTF_8);

        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("http://").doesNotContain("https://")
                .doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("<img").doesNotContainIgnoringCase("@import");
        Matcher bar = BAR.matcher(html);
        Map<String, Long> counts = new TreeMap<>();
        while (bar.find()) {
            long count = Long.parseLong(bar.group(2));
            counts.put(bar.group(1), count);
            assertThat(Double.parseDouble(bar.group(3))).as("width of " + bar.group(1))
                    .isCloseTo(count * ReportHtml.BAR_MAX / 12, within(0.1));
        }
        assertThat(counts).isEqualTo(Map.of("alipay", 3L, "jd", 12L, "qq", 0L, "wechat", 6L));
        assertThat(html).contains("138****8807", "159****5678").doesNotContainPattern("\\d{11}");
        assertThat(html).contains("J&lt;D&gt; &amp; &quot;Co&quot;").doesNotContain("J<D>");
        assertThat(html).contains("<td>PLATFORM_DOWN:HTTP_401</td>", "<td>INVALID</td>", "2 (CIRCUIT_OPEN: 2)");
    }

    private static SummaryReport.PlatformSummary platform(String name, boolean enabled, long bound, long notBound,
                                                          Map<String, Long> noAnswer) {
        long unanswered = noAnswer.values().stream().mapToLong(Long::longValue).sum();
        return new SummaryReport.PlatformSummary(name, enabled, "binding-check-api", bound, notBound, unanswered, noAnswer,
                bound + notBound + unanswered, 1, 0, enabled ? 12.5 : null, enabled ? 80.0 : null, 0);
    }
}
