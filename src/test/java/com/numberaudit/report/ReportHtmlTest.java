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
import com.numberaudit.ledger.Night;
import com.numberaudit.ledger.NightComparison;
import com.numberaudit.number.RejectReason;

/** report.html as a person opens it: self-contained, bars that match the counts, numbers masked, names escaped. */
class ReportHtmlTest {

    private static final NightComparison.Comparison FIRST_NIGHT = new NightComparison.Comparison(null, null,
            new NightComparison.Holds(0, 0, 0, 5), null);

    private static final Pattern BAR = Pattern.compile("<rect data-platform=\"([^\"]*)\" data-count=\"(\\d+)\"[^>]* width=\"([\\d.]+)\"");

    @Test
    void theChartsBarsMatchTheCountsAndThePageFetchesNothingAndShowsNoFullNumber() {
        SummaryReport summary = summary();
        List<Escalations.Escalation> held = List.of(
                new Escalations.Escalation("13832738807", LocalDate.of(2026, 10, 1), "wechat", "BOUND"),
                new Escalations.Escalation("15912345678", LocalDate.of(2026, 10, 3), "jd", "HTTP_500"));

        String html = new String(ReportHtml.render(summary, FIRST_NIGHT, held), StandardCharsets.UTF_8);

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

    @Test
    void sinceThePreviousNightShowsEachTotalsChangeThePlatformsThatChangedAndWhatBecameOfTheHeldNumbers() {
        NightComparison.Counts before = new NightComparison.Counts(9, 12, 3, 0, Map.of(
                "alipay", new NightComparison.PlatformCounts(2, 0),
                "jd", new NightComparison.PlatformCounts(10, 0),
                "wechat", new NightComparison.PlatformCounts(6, 2)));
        NightComparison.Comparison comparison = new NightComparison.Comparison(new Night(LocalDate.of(2026, 11, 27), 1), before,
                new NightComparison.Holds(6, 2, 4, 3), null);

        String html = new String(ReportHtml.render(summary(), comparison, List.of()), StandardCharsets.UTF_8);

        assertThat(html).contains("<p>Held coming into tonight: 6; released tonight: 2; still held: 4. Held for the first time tonight: 3.</p>",
                "<tr><th></th><th>2026-11-27 (rerun 1)</th><th>2026-11-28</th><th>Change</th></tr>",
                "<tr><td>Clean</td><td class=\"n\">9</td><td class=\"n\">5</td><td class=\"n\">\u22124</td></tr>",
                "<tr><td>Bound</td><td class=\"n\">12</td><td class=\"n\">12</td><td class=\"n\">0</td></tr>",
                "<tr><td>Rejected</td><td class=\"n\">0</td><td class=\"n\">2</td><td class=\"n\">+2</td></tr>",
                "<tr><td>Bound at J&lt;D&gt; &amp; &quot;Co&quot; (jd)</td><td class=\"n\">10</td><td class=\"n\">12</td><td class=\"n\">+2</td></tr>",
                "<tr><td>No answer from J&lt;D&gt; &amp; &quot;Co&quot; (jd)</td><td class=\"n\">0</td><td class=\"n\">1</td><td class=\"n\">+1</td></tr>",
                "<tr><td>Bound at Alipay (alipay)</td><td class=\"n\">2</td><td class=\"n\">3</td><td class=\"n\">+1</td></tr>",
                "<p>1 platform: the same numbers bound and unanswered as the night before.</p>")
                .as("only what changed: alipay's unanswered numbers, wechat; qq disabled both nights")
                .doesNotContain("No answer from Alipay", "Bound at WeChat", "Bound at QQ");

        String unknown = new String(ReportHtml.render(summary(), new NightComparison.Comparison(null, null, null,
                "the held numbers were not re-audited tonight (audit.reaudit=false)"), List.of()), StandardCharsets.UTF_8);
        assertThat(unknown).contains("<p>What became of the numbers held is not shown: the held numbers were not re-audited tonight "
                + "(audit.reaudit=false).</p>", "<p>The ledger has no earlier night to compare with.</p>");
    }

    private static SummaryReport summary() {
        Map<String, SummaryReport.PlatformSummary> platforms = new TreeMap<>(Map.of(
                "alipay", platform("Alipay", true, 3, 10, Map.of()),
                "jd", platform("J<D> & \"Co\"", true, 12, 0, Map.of("HTTP_500", 1L)),
                "qq", platform("QQ", false, 0, 0, Map.of()),
                "wechat", platform("WeChat", true, 6, 5, Map.of("CIRCUIT_OPEN", 2L))));
        return new SummaryReport("demo", LocalDate.of(2026, 11, 28), 0, Instant.parse("2026-11-29T02:00:00Z"),
                Instant.parse("2026-11-29T02:01:00Z"), 60.0, 1, "f1ng3rpr1nt", List.of("a.csv"), 20, 22, 5, 12, 3, 2,
                Map.of(RejectReason.INVALID, 2L), 2, 2, Map.of("wechat", Map.of("PLATFORM_DOWN:HTTP_401", 2L)),
                SummaryReport.REQUESTS_COVER, platforms);
    }

    private static SummaryReport.PlatformSummary platform(String name, boolean enabled, long bound, long notBound,
                                                          Map<String, Long> noAnswer) {
        long unanswered = noAnswer.values().stream().mapToLong(Long::longValue).sum();
        return new SummaryReport.PlatformSummary(name, enabled, "binding-check-api", bound, notBound, unanswered, noAnswer,
                bound + notBound + unanswered, 1, 0, enabled ? 12.5 : null, enabled ? 80.0 : null, 0, null);
    }
}
