package com.numberaudit.report;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.numberaudit.ledger.Escalations;
import com.numberaudit.ledger.NightComparison;
import com.numberaudit.number.MobileNumber;

/**
 * report.html: the night's summary for a person, one self-contained file (inline CSS and SVG, no script, nothing
 * fetched), built from {@link SummaryReport}. Numbers appear masked only.
 */
public final class ReportHtml {

    public static final String FILE = "report.html";
    /** How many of the numbers held longest the page lists; escalations.csv has them all. */
    public static final int LONGEST_HELD = 10;
    /** The width in the chart of the bar of the platform with the most bindings. */
    static final double BAR_MAX = 400;
    private static final int BAR_HEIGHT = 22;
    private static final int LABEL_WIDTH = 140;

    private static final String CSS = """
            body{font-family:system-ui,sans-serif;font-size:14px;margin:1.5em;color:#222}
            table{border-collapse:collapse;margin:.5em 0 1.5em}
            th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}
            td{white-space:nowrap}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            .down{color:#b00}
            .off{fill:#888}
            """;

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** Longer display names are cut in the chart (the whole name is the label's tooltip and in the table below). */
    private static final int LABEL_CHARS = 18;
    /** A figure there is none of. */
    private static final Figure NONE = new Figure("\u2013");

    private ReportHtml() {
    }

    /** The page, as UTF-8 bytes. */
    public static byte[] render(SummaryReport summary, NightComparison.Comparison sincePrevious, List<Escalations.Escalation> heldLongest) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Number audit ")
                .append(summary.date()).append("</title>\n<style>").append(CSS).append("</style></head><body>\n");
        html.append("<h1>Number audit of ").append(summary.date()).append("</h1>\n<p>Mode: ").append(escape(summary.mode()))
                .append(summary.rerun() > 0 ? ", rerun " + summary.rerun() : "")
                .append(". Started ").append(STARTED.format(summary.started())).append(", took ")
                .append(String.format(Locale.ROOT, "%.1f", summary.durationSeconds())).append(" s.</p>\n");
        totals(html, summary);
        sincePrevious(html, summary, sincePrevious);
        chart(html, summary.platforms());
        platforms(html, summary.platforms());
        rejected(html, summary);
        platformsDown(html, summary.platformsDown());
        held(html, heldLongest, summary.escalated());
        html.append("</body></html>\n");
        return html.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void totals(StringBuilder html, SummaryReport summary) {
        html.append("<h2>Totals</h2>\n<table>\n");
        row(html, "th", "Rows", "Clean", "Bound", "Undetermined", "Rejected", "Input rows", "Re-audited", "Escalated");
        row(html, "td", summary.rows(), summary.clean(), summary.bound(), summary.undetermined(), summary.rejected(),
                summary.inputRows(), summary.reaudited(), summary.escalated());
        html.append("</table>\n");
    }

    private static void sincePrevious(StringBuilder html, SummaryReport summary, NightComparison.Comparison comparison) {
        html.append("<h2>Since the previous night</h2>\n");
        NightComparison.Holds holds = comparison.holds();
        if (holds == null) {
            html.append("<p>What became of the numbers held is not shown: ").append(escape(comparison.holdsUnknown())).append(".</p>\n");
        } else {
            html.append("<p>Held coming into tonight: ").append(holds.heldComingIn()).append("; released tonight: ")
                    .append(holds.released()).append("; still held: ").append(holds.stillHeld())
                    .append(". Held for the first time tonight: ").append(holds.newlyHeld()).append(".</p>\n");
        }
        NightComparison.Counts before = comparison.before();
        if (before == null) {
            html.append("<p>The ledger has no earlier night to compare with.</p>\n");
            return;
        }
        html.append("<table>\n");
        row(html, "th", "", comparison.previous(), summary.date() + (summary.rerun() > 0 ? " (rerun " + summary.rerun() + ")" : ""),
                "Change");
        change(html, "Clean", before.clean(), summary.clean());
        change(html, "Bound", before.bound(), summary.bound());
        change(html, "Undetermined", before.undetermined(), summary.undetermined());
        change(html, "Rejected", before.rejected(), summary.rejected());
        int unchanged = 0;
        for (Map.Entry<String, SummaryReport.PlatformSummary> platform : summary.platforms().entrySet()) {
            SummaryReport.PlatformSummary tonight = platform.getValue();
            NightComparison.PlatformCounts then = before.platforms().get(platform.getKey());
            if (!tonight.enabled() && then == null) {
                continue;
            }
            if (then != null && then.bound() == tonight.bound() && then.noAnswer() == tonight.noAnswer()) {
                unchanged++;
                continue;
            }
            String name = tonight.name() + " (" + platform.getKey() + ")";
            if (then == null || then.bound() != tonight.bound()) {
                change(html, "Bound at " + name, then == null ? null : then.bound(), tonight.bound());
            }
            if (then == null || then.noAnswer() != tonight.noAnswer()) {
                change(html, "No answer from " + name, then == null ? null : then.noAnswer(), tonight.noAnswer());
            }
        }
        html.append("</table>\n");
        if (unchanged > 0) {
            html.append("<p>").append(unchanged).append(unchanged == 1 ? " platform" : " platforms")
                    .append(": the same numbers bound and unanswered as the night before.</p>\n");
        }
    }

    /** A row of the comparison; {@code before} is null for a platform the previous night did not ask. */
    private static void change(StringBuilder html, String what, Long before, long tonight) {
        String change = before == null ? "new" : tonight == before ? "0" : (tonight > before ? "+" : "\u2212") + Math.abs(tonight - before);
        row(html, "td", what, before == null ? NONE : before, tonight, new Figure(change));
    }

    /** A figure that is not a number (a signed change, a dash): aligned with the numbers. */
    private record Figure(String text) {

        @Override
        public String toString() {
            return text;
        }
    }

    private static void chart(StringBuilder html, Map<String, SummaryReport.PlatformSummary> platforms) {
        long most = platforms.values().stream().mapToLong(SummaryReport.PlatformSummary::bound).max().orElse(0);
        html.append("<h2>Numbers bound, per platform</h2>\n<p>A number bound on several platforms counts on each.</p>\n")
                .append("<svg role=\"img\" aria-label=\"Numbers bound, per platform\" width=\"")
                .append(LABEL_WIDTH + (int) BAR_MAX + 110).append("\" height=\"").append(platforms.size() * (BAR_HEIGHT + 6))
                .append("\" font-size=\"13\">\n<title>Numbers bound, per platform</title>\n");
        int y = 0;
        for (Map.Entry<String, SummaryReport.PlatformSummary> platform : platforms.entrySet()) {
            SummaryReport.PlatformSummary summary = platform.getValue();
            long bound = summary.bound();
            double width = most == 0 ? 0 : bound * BAR_MAX / most;
            String name = summary.name();
            String label = name.length() > LABEL_CHARS ? name.substring(0, LABEL_CHARS - 1) + "\u2026" : name;
            html.append("<text x=\"0\" y=\"").append(y + 16).append('"').append(summary.enabled() ? "" : " class=\"off\"").append('>')
                    .append("<title>").append(escape(name)).append("</title>").append(escape(label)).append("</text>")
                    .append("<rect data-platform=\"").append(escape(platform.getKey())).append("\" data-count=\"").append(bound)
                    .append("\" x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y).append("\" width=\"")
                    .append(String.format(Locale.ROOT, "%.1f", width)).append("\" height=\"").append(BAR_HEIGHT)
                    .append("\" fill=\"#4a78b5\"/>")
                    .append("<text x=\"").append(String.format(Locale.ROOT, "%.1f", LABEL_WIDTH + width + 6)).append("\" y=\"")
                    .append(y + 16).append('"').append(summary.enabled() ? "" : " class=\"off\"").append('>').append(bound)
                    .append("</text>").append(summary.enabled() ? "" : "<text x=\"" + (LABEL_WIDTH + 30) + "\" y=\"" + (y + 16)
                            + "\" class=\"off\">disabled</text>").append('\n');
            y += BAR_HEIGHT + 6;
        }
        html.append("</svg>\n");
    }

    private static void platforms(StringBuilder html, Map<String, SummaryReport.PlatformSummary> platforms) {
        html.append("<h2>Platforms</h2>\n<table>\n");
        row(html, "th", "Platform", "Enabled", "Adapter", "Bound", "Not bound", "No answer", "Requests", "Retries", "429s",
                "Latency p50 (ms)", "Latency p99 (ms)", "Circuit openings");
        platforms.forEach((id, p) -> row(html, "td", p.name() + " (" + id + ")", p.enabled() ? "yes" : "no", p.adapter(), p.bound(),
                p.notBound(), p.noAnswer() + byReason(p.noAnswerByReason()), p.requests(), p.retries(), p.http429(),
                p.latencyMsP50() == null ? NONE : p.latencyMsP50(), p.latencyMsP99() == null ? NONE : p.latencyMsP99(),
                p.circuitOpenings()));
        html.append("</table>\n");
    }

    private static String byReason(Map<String, Long> reasons) {
        if (reasons.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        reasons.forEach((reason, count) -> text.append(text.isEmpty() ? " (" : ", ").append(reason).append(": ").append(count));
        return text.append(")").toString();
    }

    private static void rejected(StringBuilder html, SummaryReport summary) {
        html.append("<h2>Rejected rows by reason</h2>\n");
        if (summary.rejectedByReason().isEmpty()) {
            html.append("<p>None.</p>\n");
            return;
        }
        html.append("<table>\n");
        row(html, "th", "Reason", "Rows");
        summary.rejectedByReason().forEach((reason, count) -> row(html, "td", reason, count));
        html.append("</table>\n");
    }

    private static void platformsDown(StringBuilder html, Map<String, Map<String, Long>> down) {
        html.append("<h2>Platforms down</h2>\n");
        if (down.isEmpty()) {
            html.append("<p>None: every platform answered.</p>\n");
            return;
        }
        html.append("<table class=\"down\">\n");
        row(html, "th", "Platform", "Reason", "Numbers left unanswered");
        down.forEach((platform, reasons) -> reasons.forEach((reason, count) -> row(html, "td", platform, reason, count)));
        html.append("</table>\n");
    }

    private static void held(StringBuilder html, List<Escalations.Escalation> heldLongest, long escalated) {
        html.append("<h2>Numbers held longest</h2>\n");
        if (heldLongest.isEmpty()) {
            html.append("<p>None held past the escalation limit.</p>\n");
            return;
        }
        html.append("<p>The first ").append(heldLongest.size()).append(" of ").append(escalated)
                .append(" listed in escalations.csv.</p>\n<table>\n");
        row(html, "th", "Number", "Held since", "Platforms", "Reasons");
        heldLongest.forEach(held -> row(html, "td", MobileNumber.ofNational(held.number()).masked(), held.heldSince(),
                held.platforms(), held.reasons()));
        html.append("</table>\n");
    }

    private static void row(StringBuilder html, String cell, Object... values) {
        html.append("<tr>");
        for (Object value : values) {
            html.append('<').append(cell).append(value instanceof Number || value instanceof Figure ? " class=\"n\">" : ">").append(escape(String.valueOf(value)))
                    .append("</").append(cell).append('>');
        }
        html.append("</tr>\n");
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
