package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditOutput;

/**
 * The audit ledger across three nights, through the packaged jar and its simulator, on one output
 * folder (one job repository). Night 1 holds numbers: bound, undetermined, and pending (a platform
 * gave a ticket and answers later). The simulator then changes its answers: night 2 releases some
 * (one through its ticket's late answer), keeps the others with the night their hold began, whether
 * or not the input lists them again, and keeps waiting for a ticket still open. Night 3, with short
 * settings, expires that ticket and escalates the numbers held too long. The history command shows a
 * number's every night. Every transition is asserted in the result files and in the ledger.
 */
@Timeout(600)
class LedgerAcrossNightsIT {

    /** Bound on wechat the first night, clean the second: released. */
    private static final String RELEASED_BOUND = "13832738807";
    /** No answer from jd the first night, NOT_BOUND the second: released. */
    private static final String RELEASED_SILENT = "13912345678";
    /** didi answers later: a ticket the first night, NOT_BOUND under it the second: released by the late answer. */
    private static final String LATE = "13600003333";
    /** ctrip answers later, and never in time: pending two nights, its ticket expires on the third. */
    private static final String EXPIRING = "15800004444";
    /** Bound on alipay every night, and listed again by the second night's input. */
    private static final String STILL_BOUND = "15011112222";
    /** No answer from qq every night. */
    private static final String STILL_SILENT = "18600001111";
    /** Clean the first night: never held. */
    private static final String CLEAN = "13700001234";
    /** First seen the second night, bound on douyin. */
    private static final String NEW_BOUND = "17712345678";

    private static final List<String> NIGHT_1_BINDINGS = List.of(RELEASED_BOUND + ",wechat,BOUND,1", RELEASED_SILENT + ",jd,SILENT,",
            LATE + ",didi,PENDING,", EXPIRING + ",ctrip,PENDING,", STILL_BOUND + ",alipay,BOUND,2", STILL_SILENT + ",qq,SILENT,");
    private static final List<String> LATER_BINDINGS = List.of(EXPIRING + ",ctrip,PENDING,", STILL_BOUND + ",alipay,BOUND,2",
            STILL_SILENT + ",qq,SILENT,", NEW_BOUND + ",douyin,BOUND,1");

    @TempDir
    Path dir;

    @Test
    void heldNumbersAreCheckedEveryNightUntilCleanTicketsAreCollectedOrExpireAndLongHoldsAreEscalated() throws Exception {
        Path output = dir.resolve("output");
        LedgerRows ledger = new LedgerRows(output);

        // night 1: every kind of hold
        JarRun.Result night1 = night(output, "2026-11-28",
                List.of(RELEASED_BOUND, RELEASED_SILENT, LATE, EXPIRING, STILL_BOUND, STILL_SILENT, CLEAN), NIGHT_1_BINDINGS);

        assertThat(night1.exitCode()).as(night1.describe()).isZero();
        AuditOutput first = new AuditOutput(output.resolve("2026-11-28"));
        assertThat(first.rows("bound.csv")).containsExactly(
                List.of(RELEASED_BOUND, "2026-08-20", "wechat", ""), List.of(STILL_BOUND, "2026-08-20", "alipay", ""));
        assertThat(first.rows("undetermined.csv")).containsExactly(
                List.of(RELEASED_SILENT, "2026-08-20", "jd", "jd:MISSING_ID", ""),
                List.of(LATE, "2026-08-20", "didi", "didi:PENDING", ""),
                List.of(EXPIRING, "2026-08-20", "ctrip", "ctrip:PENDING", ""),
                List.of(STILL_SILENT, "2026-08-20", "qq", "qq:MISSING_ID", ""));
        assertThat(first.rows("clean.csv")).containsExactly(List.of(CLEAN, "2026-08-20", ""));
        assertThat(ledger.numbers()).as("held after night 1; the clean number has no row").containsExactlyInAnyOrderEntriesOf(Map.of(
                RELEASED_BOUND, new LedgerRows.Held("BOUND", "2026-11-28", 1),
                RELEASED_SILENT, new LedgerRows.Held("UNDETERMINED", "2026-11-28", 1),
                LATE, new LedgerRows.Held("PENDING", "2026-11-28", 1),
                EXPIRING, new LedgerRows.Held("PENDING", "2026-11-28", 1),
                STILL_BOUND, new LedgerRows.Held("BOUND", "2026-11-28", 1),
                STILL_SILENT, new LedgerRows.Held("UNDETERMINED", "2026-11-28", 1)));
        Map<String, LedgerRows.Ticket> tickets = ledger.tickets();
        assertThat(tickets).as("the tickets the numbers wait for").containsOnlyKeys(LATE, EXPIRING);
        assertThat(tickets.get(LATE).platform()).isEqualTo("didi");
        assertThat(tickets.get(EXPIRING).platform()).isEqualTo("ctrip");
        assertThat(tickets.values()).extracting(LedgerRows.Ticket::issuedOn).containsOnly("2026-11-28");

        // night 2: the simulator changed its answers; didi answers its ticket, ctrip still does not
        JarRun.Result night2 = night(output, "2026-11-29", List.of(NEW_BOUND, STILL_BOUND), LATER_BINDINGS);

        assertThat(night2.exitCode()).as(night2.describe()).isZero();
        AuditOutput second = new AuditOutput(output.resolve("2026-11-29"));
        assertThat(second.rows("clean.csv")).as("released, with the night their hold began; held numbers in number order").containsExactly(
                List.of(LATE, "2026-08-20", "2026-11-28"), List.of(RELEASED_BOUND, "2026-08-20", "2026-11-28"),
                List.of(RELEASED_SILENT, "2026-08-20", "2026-11-28"));
        assertThat(second.rows("bound.csv")).as("the input's rows first, then the held numbers; each number once").containsExactly(
                List.of(NEW_BOUND, "2026-08-20", "douyin", ""), List.of(STILL_BOUND, "2026-08-20", "alipay", "2026-11-28"));
        assertThat(second.rows("undetermined.csv")).containsExactly(
                List.of(EXPIRING, "2026-08-20", "ctrip", "ctrip:PENDING", "2026-11-28"),
                List.of(STILL_SILENT, "2026-08-20", "qq", "qq:MISSING_ID", "2026-11-28"));
        assertThat(second.rows("rejected.csv")).isEmpty();
        assertThat(second.rows("escalations.csv")).isEmpty();
        assertThat(Files.readString(second.folder().resolve("summary.json")))
                .contains("\"rows\" : 7", "\"clean\" : 3", "\"bound\" : 2", "\"undetermined\" : 2", "\"reaudited\" : 5");
        assertThat(Files.readString(second.folder().resolve("report.html"))).as("report.html: since the previous night").contains(
                "<p>Held coming into tonight: 6; released tonight: 3; still held: 3. Held for the first time tonight: 1.</p>",
                "<tr><th></th><th>2026-11-28</th><th>2026-11-29</th><th>Change</th></tr>",
                "<tr><td>Clean</td><td class=\"n\">1</td><td class=\"n\">3</td><td class=\"n\">+2</td></tr>", "<tr><td>Undetermined</td><td class=\"n\">4</td><td class=\"n\">2</td><td class=\"n\">\u22122</td></tr>",
                "<tr><td>Bound at Douyin (douyin)</td><td class=\"n\">0</td><td class=\"n\">1</td><td class=\"n\">+1</td></tr>",
                "<tr><td>Bound at WeChat (wechat)</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">\u22121</td></tr>");
        assertThat(ledger.numbers()).as("the released numbers' rows are gone (their trail stays)").containsExactlyInAnyOrderEntriesOf(Map.of(
                EXPIRING, new LedgerRows.Held("PENDING", "2026-11-28", 2),
                STILL_BOUND, new LedgerRows.Held("BOUND", "2026-11-28", 2),
                STILL_SILENT, new LedgerRows.Held("UNDETERMINED", "2026-11-28", 2),
                NEW_BOUND, new LedgerRows.Held("BOUND", "2026-11-29", 1)));
        assertThat(ledger.trail("2026-11-29")).containsExactlyInAnyOrderEntriesOf(Map.of(
                RELEASED_BOUND, "CLEAN", RELEASED_SILENT, "CLEAN", LATE, "CLEAN", EXPIRING, "PENDING", STILL_BOUND, "BOUND",
                STILL_SILENT, "UNDETERMINED", NEW_BOUND, "BOUND"));
        assertThat(ledger.tickets()).as("the late answer came under the ticket; the open one keeps its first night")
                .containsExactly(Map.entry(EXPIRING, tickets.get(EXPIRING)));

        // night 3, two days after the first, nothing new in the input: the held numbers alone, with short limits
        JarRun.Result night3 = night(output, "2026-11-30", List.of(), LATER_BINDINGS,
                "--audit.escalate-after=1d", "--audit.platforms.ctrip.answer-within=1d");

        assertThat(night3.exitCode()).as(night3.describe()).isZero();
        AuditOutput third = new AuditOutput(output.resolve("2026-11-30"));
        assertThat(third.rows("bound.csv")).containsExactly(
                List.of(STILL_BOUND, "2026-08-20", "alipay", "2026-11-28"), List.of(NEW_BOUND, "2026-08-20", "douyin", "2026-11-29"));
        assertThat(third.rows("undetermined.csv")).as("the ticket of 2026-11-28 is older than 1 day: expired").containsExactly(
                List.of(EXPIRING, "2026-08-20", "ctrip", "ctrip:EXPIRED", "2026-11-28"),
                List.of(STILL_SILENT, "2026-08-20", "qq", "qq:MISSING_ID", "2026-11-28"));
        assertThat(third.rows("clean.csv")).isEmpty();
        assertThat(ledger.numbers().get(EXPIRING)).isEqualTo(new LedgerRows.Held("UNDETERMINED", "2026-11-28", 3));
        assertThat(ledger.tickets()).as("an expired ticket is dropped: the next night asks afresh").isEmpty();
        assertThat(third.header("escalations.csv")).isEqualTo("number,held_since,platforms,reasons");
        assertThat(third.rows("escalations.csv")).as("held since 2026-11-28, two days: escalated; since 2026-11-29, one day: not yet")
                .containsExactly(List.of(STILL_BOUND, "2026-11-28", "alipay", "alipay:BOUND"),
                        List.of(EXPIRING, "2026-11-28", "ctrip", "ctrip:EXPIRED"),
                        List.of(STILL_SILENT, "2026-11-28", "qq", "qq:MISSING_ID"));
        assertThat(night3.stdout()).contains("3 number(s) held longer than 1 day: see escalations.csv");
        assertThat(Files.readString(third.folder().resolve("summary.json"))).contains("\"reaudited\" : 4", "\"escalated\" : 3");

        // the history of the number released by its ticket's late answer: every night, every platform, the request behind each answer
        JarRun.Result history = JarRun.run(dir, "history", "history", LATE, "--audit.output=" + output);

        assertThat(history.exitCode()).as(history.describe()).isZero();
        String ticket = tickets.get(LATE).ticket();
        assertThat(history.stdout().lines().map(String::stripTrailing)).contains(LATE + " in the audit ledger",
                "  now: CLEAN, released 2026-11-29 (2 nights checked since 2026-11-28, last 2026-11-29)",
                "2026-11-28  PENDING  (from the input)", "2026-11-29  CLEAN  (re-audited from the ledger)");
        assertThat(history.stdout().lines().filter(line -> line.startsWith("  didi ")).map(line -> line.replaceAll(" +", " ")))
                .as("didi: the ticket, then its late answer, each with the request behind it")
                .hasSize(2)
                .satisfies(lines -> assertThat(lines.get(0)).matches(" didi PENDING \\(ticket " + ticket + "\\) x-correlator [0-9a-f-]{36}"))
                .satisfies(lines -> assertThat(lines.get(1)).matches(" didi NOT_BOUND \\(ticket " + ticket + "\\) x-correlator [0-9a-f-]{36}"));
        assertThat(history.stdout().lines().filter(line -> line.matches("  [a-z]+ +NOT_BOUND +x-correlator [0-9a-f-]{36}")))
                .as("the other 15 platforms, both nights").hasSize(30);

        JarRun.Result elsewhere = JarRun.run(dir, "history-elsewhere", "history", LATE, "--audit.output=" + dir.resolve("nowhere"));
        assertThat(elsewhere.exitCode()).as(elsewhere.describe()).isEqualTo(2);
        assertThat(elsewhere.stderr()).contains("no job repository here");
        assertThat(dir.resolve("nowhere")).as("a history creates no repository").doesNotExist();
        for (JarRun.Result run : List.of(night1, night2, night3)) {
            assertThat(run.stdout() + run.stderr()).as("numbers never reach the logs").doesNotContain(RELEASED_BOUND, RELEASED_SILENT,
                    LATE, EXPIRING, STILL_BOUND, STILL_SILENT, CLEAN, NEW_BOUND);
        }
    }

    /**
     * Audits {@code date} on {@code output} with that night's input and simulator bindings. didi and ctrip are
     * asked one number at a time (a ticket is for its number alone) and wait a second for a 202's answer; the
     * simulator keeps its tickets in a folder, where the next night's simulator finds them.
     */
    private JarRun.Result night(Path output, String date, List<String> input, List<String> bindings, String... more) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("input-" + date));
        StringBuilder csv = new StringBuilder("number,cancelled_on\n");
        input.forEach(number -> csv.append(number).append(",2026-08-20\n"));
        Files.writeString(folder.resolve("pending.csv"), csv, StandardCharsets.UTF_8);
        Path bindingsFile = Files.writeString(dir.resolve("bindings-" + date + ".csv"),
                "number,platform,status,accounts\n" + String.join("\n", bindings) + "\n", StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("--audit.input=" + folder, "--audit.output=" + output, "--audit.date=" + date,
                "--audit.simulator.bindings=file:" + bindingsFile, "--audit.simulator.tickets=" + dir.resolve("tickets")));
        for (String platform : List.of("didi", "ctrip")) {
            args.addAll(List.of("--audit.platforms." + platform + ".batch-size=1", "--audit.platforms." + platform + ".pending-wait=1s"));
        }
        args.addAll(List.of(more));
        return JarRun.run(dir, "night-" + date, args);
    }
}
