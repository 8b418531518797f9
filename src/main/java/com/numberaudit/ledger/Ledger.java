package com.numberaudit.ledger;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;

import com.numberaudit.platform.BindingAnswer;

/**
 * The audit ledger's side of each chunk: what tonight's checks found, written with JDBC batches in
 * the chunk's own transaction (the writer calls it there, like the run lease's fence), so that a
 * crash and restart leaves the ledger exactly as far as the result files.
 * <ul>
 * <li>the trail ({@code ledger_trail}): every number with its state and every answer but NOT_BOUND,
 * in pages of the numbers that end in the same two digits;</li>
 * <li>the requests ({@code ledger_request}): per platform, which {@code x-correlator} answered which
 * numbers of the night;</li>
 * <li>the numbers held ({@code ledger_number}): a number held tonight or before gets its state, the
 * platforms holding it and since when; one clean at its first check needs no row;</li>
 * <li>the tickets ({@code ledger_ticket}) a number waits for, from the platforms that answer later.</li>
 * </ul>
 */
public final class Ledger {

    /** Pages per chunk: the numbers' last two digits, so a history reads a hundredth of the trail. */
    static final int TAILS = 100;
    /** A page is cut here even within one chunk and tail (a chunk of 100,000 held numbers with long reasons). */
    private static final int PAGE_CHARACTERS = 500_000;

    /**
     * A held number's row takes the night's word, and goes once the number is CLEAN (released: the trail keeps its
     * history), unless a later night already checked it: a rerun of an older date must never turn a number a later
     * night found BOUND back into CLEAN (nor the reverse). Only held numbers have rows: re-auditing a night's held
     * numbers then touches a table of held numbers, not one grown by every number ever released (measured:
     * docs/performance.md, "The ledger in the job").
     */
    private static final String MERGE_NUMBER = """
            MERGE INTO ledger_number t
            USING (VALUES (CAST(? AS VARCHAR(11)), CAST(? AS VARCHAR(12)), CAST(? AS VARCHAR(1000000)), CAST(? AS VARCHAR(1000000)),
                           CAST(? AS VARCHAR(10)), CAST(? AS DATE), CAST(? AS DATE)))
                AS s (number, state, platforms, reasons, cancelled_on, run_date, held_since)
            ON t.number = s.number
            WHEN MATCHED AND t.last_checked <= s.run_date AND s.state = 'CLEAN' THEN DELETE
            WHEN MATCHED AND t.last_checked <= s.run_date THEN UPDATE SET
                state = s.state, platforms = s.platforms, reasons = s.reasons,
                cancelled_on = COALESCE(s.cancelled_on, t.cancelled_on),
                nights_checked = t.nights_checked + CASE WHEN t.last_checked < s.run_date THEN 1 ELSE 0 END,
                last_checked = s.run_date
            WHEN NOT MATCHED AND s.state <> 'CLEAN' THEN INSERT (number, state, platforms, reasons, cancelled_on, held_since, first_checked,
                                                                 last_checked, nights_checked)
                VALUES (s.number, s.state, s.platforms, s.reasons, s.cancelled_on, COALESCE(s.held_since, s.run_date), s.run_date,
                        s.run_date, 1)""";

    private final JdbcTemplate jdbc;
    private final List<String> platformIds;

    /** @param platformIds the night's platforms, in the order of every entry's answers */
    public Ledger(JdbcTemplate jdbc, List<String> platformIds) {
        this.jdbc = jdbc;
        this.platformIds = List.copyOf(platformIds);
    }

    /**
     * Records the numbers a chunk checked, in seq order; to be called inside the chunk's transaction.
     *
     * @param tickets the tickets open when the night started: a number waiting for one is written again
     */
    public void record(Night night, List<LedgerEntry> entries, OpenTickets tickets) {
        if (entries.isEmpty()) {
            return;
        }
        writeTrail(night, entries);
        writeRequests(night, entries);
        writeHeld(night, entries);
        writeTickets(night, entries, tickets);
    }

    private record Page(int tail, long firstSeq, String entries) {
    }

    private void writeTrail(Night night, List<LedgerEntry> entries) {
        StringBuilder[] pages = new StringBuilder[TAILS];
        long[] firstSeq = new long[TAILS];
        List<Page> full = new ArrayList<>();
        for (LedgerEntry entry : entries) {
            int tail = (int) (entry.number().digits() % TAILS);
            StringBuilder page = pages[tail];
            if (page == null || page.length() > PAGE_CHARACTERS) {
                if (page != null) {
                    full.add(new Page(tail, firstSeq[tail], page.toString()));
                }
                page = pages[tail] = new StringBuilder(64 * entries.size() / TAILS + 64);
                firstSeq[tail] = entry.seq();
            }
            TrailLine.append(page, entry, LedgerState.of(entry.answers()), platformIds);
        }
        for (int tail = 0; tail < TAILS; tail++) {
            if (pages[tail] != null) {
                full.add(new Page(tail, firstSeq[tail], pages[tail].toString()));
            }
        }
        Date date = Date.valueOf(night.date());
        batch("INSERT INTO ledger_trail (run_date, rerun, tail, first_seq, entries) VALUES (?, ?, ?, ?, ?)", full,
                (ps, page) -> {
                    ps.setDate(1, date);
                    ps.setInt(2, (int) night.rerun());
                    ps.setInt(3, page.tail());
                    ps.setLong(4, page.firstSeq());
                    ps.setString(5, page.entries());
                });
    }

    /** The numbers from {@code firstSeq} to {@code lastSeq} that one platform answered in one request. */
    private record Request(String platform, long firstSeq, long lastSeq, String correlator, String ticket) {
    }

    private void writeRequests(Night night, List<LedgerEntry> entries) {
        List<Request> requests = new ArrayList<>();
        for (int p = 0; p < platformIds.size(); p++) {
            BindingAnswer current = null;
            long first = 0;
            long last = 0;
            for (LedgerEntry entry : entries) {
                BindingAnswer answer = entry.answers()[p];
                if (current != null && answer != null && sameRequest(current, answer)) {
                    last = entry.seq();
                    continue;
                }
                if (current != null) {
                    requests.add(new Request(platformIds.get(p), first, last, current.correlator(), current.ticket()));
                }
                current = answer == null || answer.correlator() == null ? null : answer;
                first = last = entry.seq();
            }
            if (current != null) {
                requests.add(new Request(platformIds.get(p), first, last, current.correlator(), current.ticket()));
            }
        }
        Date date = Date.valueOf(night.date());
        batch("INSERT INTO ledger_request (run_date, rerun, platform, first_seq, last_seq, correlator, ticket) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", requests, (ps, request) -> {
                    ps.setDate(1, date);
                    ps.setInt(2, (int) night.rerun());
                    ps.setString(3, request.platform());
                    ps.setLong(4, request.firstSeq());
                    ps.setLong(5, request.lastSeq());
                    ps.setString(6, request.correlator());
                    setNullable(ps, 7, request.ticket());
                });
    }

    /** The answers of one response share their correlator's instance; equals covers the rest. */
    private static boolean sameRequest(BindingAnswer a, BindingAnswer b) {
        return (a.correlator() == b.correlator() || a.correlator().equals(b.correlator())) && Objects.equals(a.ticket(), b.ticket());
    }

    /** @param heldSince the first night of the hold under way as the night's held set has it; null for a number it does not hold */
    private record Held(String number, LedgerState state, String platforms, String reasons, String cancelledOn, LocalDate heldSince) {
    }

    /** A number held tonight: its row; released tonight from an earlier hold: its row goes; clean and never held: none. */
    private void writeHeld(Night night, List<LedgerEntry> entries) {
        List<Held> held = new ArrayList<>();
        for (LedgerEntry entry : entries) {
            LedgerState state = LedgerState.of(entry.answers());
            if (!state.held() && entry.heldSince() == null) {
                continue;
            }
            StringBuilder platforms = new StringBuilder();
            StringBuilder reasons = new StringBuilder();
            BindingAnswer[] answers = entry.answers();
            for (int p = 0; p < answers.length; p++) {
                if (answers[p] != null && answers[p].status() == BindingAnswer.Status.NOT_BOUND) {
                    continue;
                }
                platforms.append(platforms.isEmpty() ? "" : ";").append(platformIds.get(p));
                reasons.append(reasons.isEmpty() ? "" : ";").append(platformIds.get(p)).append(':').append(answers[p] == null ? "NOT_ASKED"
                        : answers[p].status() == BindingAnswer.Status.BOUND ? "BOUND" : answers[p].reason());
            }
            held.add(new Held(entry.number().national(), state, platforms.isEmpty() ? null : platforms.toString(),
                    reasons.isEmpty() ? null : reasons.toString(), entry.cancelledOn().isEmpty() ? null : entry.cancelledOn(),
                    entry.heldSince()));
        }
        Date date = Date.valueOf(night.date());
        batch(MERGE_NUMBER, held, (ps, number) -> {
            ps.setString(1, number.number());
            ps.setString(2, number.state().name());
            setNullable(ps, 3, number.platforms());
            setNullable(ps, 4, number.reasons());
            setNullable(ps, 5, number.cancelledOn());
            ps.setDate(6, date);
            ps.setDate(7, number.heldSince() == null ? null : Date.valueOf(number.heldSince()));
        });
    }

    private record Waiting(String number, String platform, String ticket, LocalDate issuedOn, String correlator) {
    }

    /**
     * The tickets its numbers wait for: those of tonight's PENDING answers, with the night each ticket was given
     * (kept while the platform keeps it open); a number that waited and got its answer (or its ticket expired)
     * waits no more.
     */
    private void writeTickets(Night night, List<LedgerEntry> entries, OpenTickets tickets) {
        List<String> numbers = new ArrayList<>();
        List<Waiting> waiting = new ArrayList<>();
        for (LedgerEntry entry : entries) {
            boolean waited = tickets.waits(entry.number().digits());
            BindingAnswer[] answers = entry.answers();
            for (int p = 0; p < answers.length; p++) {
                if (answers[p] != null && answers[p].pending()) {
                    OpenTickets.Ticket open = tickets.find(platformIds.get(p), answers[p].ticket());
                    waiting.add(new Waiting(entry.number().national(), platformIds.get(p), answers[p].ticket(),
                            open == null ? night.date() : open.issuedOn(), open == null ? answers[p].correlator() : open.correlator()));
                    waited = true;
                }
            }
            if (waited) {
                numbers.add(entry.number().national());
            }
        }
        // like the numbers' rows, a number's tickets are left alone when a later night already checked it
        Date date = Date.valueOf(night.date());
        batch("""
                DELETE FROM ledger_ticket t WHERE t.number = ?
                AND NOT EXISTS (SELECT 1 FROM ledger_number n WHERE n.number = t.number AND n.last_checked > ?)""", numbers, (ps, number) -> {
            ps.setString(1, number);
            ps.setDate(2, date);
        });
        // a waiting number is held, so it has its row
        batch("""
                INSERT INTO ledger_ticket (number, platform, ticket, issued_on, correlator)
                SELECT n.number, CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(256)), CAST(? AS DATE), CAST(? AS VARCHAR(256))
                FROM ledger_number n WHERE n.number = ? AND n.last_checked <= ?""", waiting, (ps, row) -> {
            ps.setString(1, row.platform());
            ps.setString(2, row.ticket());
            ps.setDate(3, Date.valueOf(row.issuedOn()));
            setNullable(ps, 4, row.correlator());
            ps.setString(5, row.number());
            ps.setDate(6, date);
        });
    }

    /** One JDBC batch of {@code rows}; none at all when there are none. */
    private <T> void batch(String sql, List<T> rows, ParameterizedPreparedStatementSetter<T> setter) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows, rows.size(), setter);
        }
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
