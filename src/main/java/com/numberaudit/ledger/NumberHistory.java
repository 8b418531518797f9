package com.numberaudit.ledger;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.numberaudit.number.MobileNumber;

/**
 * One number's history in the ledger, for the operator answering a complaint ("I receive someone
 * else's codes"): what the ledger holds of it now, then every night it was checked, with each
 * platform's answer or reason and the {@code x-correlator} of the request that brought it: the
 * proof of what was asked and what was told. {@code java -jar number-audit.jar history <number>}.
 * <p>
 * The number is the operator's own query, so it is printed in full, on stdout only; nothing here logs it.
 */
public final class NumberHistory {

    /** What the history command's application context is made of: the job repository's data source, nothing of the audit. */
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class})
    public static final class Context {
    }

    private final JdbcClient jdbc;

    public NumberHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private record Now(String state, String reasons, LocalDate heldSince, LocalDate firstChecked, LocalDate lastChecked, int nights) {
    }

    private record Checked(Night night, TrailLine line) {
    }

    private record Request(String correlator, String ticket, long lastSeq) {
    }

    /**
     * Prints the number's history to {@code out}.
     *
     * @return false when the ledger knows nothing of the number (it says so)
     */
    public boolean print(MobileNumber number, PrintStream out) {
        String national = number.national();
        Optional<Now> now = jdbc.sql("""
                        SELECT state, reasons, held_since, first_checked, last_checked, nights_checked FROM ledger_number WHERE number = ?""")
                .param(national)
                .query((rs, row) -> new Now(rs.getString(1), rs.getString(2), rs.getObject(3, LocalDate.class),
                        rs.getObject(4, LocalDate.class), rs.getObject(5, LocalDate.class), rs.getInt(6)))
                .optional();
        List<Checked> checked = new ArrayList<>();
        jdbc.sql("SELECT run_date, rerun, entries FROM ledger_trail WHERE tail = ? AND entries LIKE ? ORDER BY run_date, rerun, first_seq")
                .params((int) (number.digits() % Ledger.TAILS), "%" + national + " %")
                .query(rs -> {
                    Night night = new Night(rs.getObject(1, LocalDate.class), rs.getLong(2));
                    TrailLine.find(rs.getString(3), national).forEach(line -> checked.add(new Checked(night, line)));
                });
        if (now.isEmpty() && checked.isEmpty()) {
            out.println(national + ": the audit ledger knows nothing of this number (never checked here, or longer ago than audit.retention)");
            return false;
        }
        out.println(national + " in the audit ledger");
        out.println("  now: " + now.map(NumberHistory::describe).orElseGet(() -> released(checked)));
        for (Checked night : checked) {
            printNight(night, out);
        }
        return true;
    }

    private static String describe(Now now) {
        return now.state() + ", held since " + now.heldSince() + " (" + nights(now.nights(), now.firstChecked(), now.lastChecked()) + "): "
                + now.reasons();
    }

    /**
     * A number the ledger does not hold (it keeps rows of held numbers only), from its trail: released on the night
     * that found it CLEAN after nights that held it, or never held at all (as far back as the trail goes).
     */
    private static String released(List<Checked> checked) {
        Checked last = checked.get(checked.size() - 1);
        int start = checked.size() - 1;
        while (start > 0 && checked.get(start - 1).line().state().held()) {
            start--;
        }
        if (start == checked.size() - 1) {
            return "never held; " + last.line().state() + " when last checked, " + last.night();
        }
        LocalDate first = checked.get(start).night().date();
        long nights = checked.subList(start, checked.size()).stream().map(night -> night.night().date()).distinct().count();
        return "CLEAN, released " + last.night().date() + " (" + nights(nights, first, last.night().date()) + ")";
    }

    private static String nights(long nights, LocalDate first, LocalDate last) {
        return nights + (nights == 1 ? " night" : " nights") + " checked since " + first + ", last " + last;
    }

    private void printNight(Checked checked, PrintStream out) {
        Night night = checked.night();
        TrailLine line = checked.line();
        out.println();
        out.println(night + "  " + line.state() + "  (" + (line.reaudited() ? "re-audited from the ledger" : "from the input") + ")");
        String platforms = jdbc.sql("SELECT platforms FROM ledger_night WHERE run_date = ? AND rerun = ?")
                .params(night.date(), night.rerun()).query(String.class).optional().orElse(String.join(";", line.answers().keySet()));
        for (String platform : platforms.split(";")) {
            Request request = request(night, platform, line.seq());
            out.printf("  %-12s %-34s %s%n", platform, answer(line.answerOf(platform), request),
                    request == null ? "(no request: nothing was sent)" : "x-correlator " + request.correlator());
        }
    }

    /**
     * The request of {@code platform} that answered the number at {@code seq}, if any. A platform's requests of a night
     * cover disjoint ranges of the night's rows, so it is the one starting last at or before {@code seq}, if it reaches
     * it: one seek in the primary key (run_date, rerun, platform, first_seq), not a scan of the night's requests. The
     * ORDER BY names every key column: H2 reads the index backwards only then, and otherwise sorts all the platform's
     * requests up to {@code seq}.
     */
    private Request request(Night night, String platform, long seq) {
        return jdbc.sql("""
                        SELECT correlator, ticket, last_seq FROM ledger_request
                        WHERE run_date = ? AND rerun = ? AND platform = ? AND first_seq <= ?
                        ORDER BY run_date DESC, rerun DESC, platform DESC, first_seq DESC FETCH FIRST 1 ROWS ONLY""")
                .params(night.date(), night.rerun(), platform, seq)
                .query((rs, row) -> new Request(rs.getString(1), rs.getString(2), rs.getLong(3)))
                .optional().filter(request -> request.lastSeq() >= seq).orElse(null);
    }

    private static String answer(String code, Request request) {
        if (code.startsWith("BOUND:")) {
            String accounts = code.substring("BOUND:".length());
            return accounts.equals("0") ? "BOUND" : "BOUND (" + accounts + (accounts.equals("1") ? " account)" : " accounts)");
        }
        return request != null && request.ticket() != null ? code + " (ticket " + request.ticket() + ")" : code;
    }
}
