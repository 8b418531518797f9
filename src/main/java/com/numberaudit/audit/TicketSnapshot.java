package com.numberaudit.audit;

import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.numberaudit.ledger.Night;
import com.numberaudit.ledger.OpenTickets;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.Platform;

/**
 * A partitioned night's open tickets and the answers its one poll brought (table {@code ledger_ticket_snapshot}):
 * written by the manager's step {@code tickets}, read by every partition's dispatcher, which then knows exactly what a
 * single node's dispatcher knows after its own poll, and hands the ledger the same open tickets.
 */
final class TicketSnapshot {

    private static final int BATCH = 1_000;

    private TicketSnapshot() {
    }

    /** Replaces the night's snapshot with the tickets {@code dispatcher} polled and their answers. */
    static void write(JdbcTemplate jdbc, Night night, BindingCheckDispatcher dispatcher) {
        jdbc.update("DELETE FROM ledger_ticket_snapshot WHERE run_date = ? AND rerun = ?", night.date(), night.rerun());
        List<Row> rows = new ArrayList<>();
        List<Platform> platforms = dispatcher.platforms();
        for (int p = 0; p < platforms.size(); p++) {
            Long2ObjectOpenHashMap<BindingAnswer> answers = dispatcher.collected(p);
            for (OpenTickets.Ticket ticket : dispatcher.openTickets().of(platforms.get(p).id())) {
                for (String number : ticket.numbers()) {
                    rows.add(new Row(ticket.platform(), number, ticket.ticket(), ticket.issuedOn(), ticket.correlator(),
                            answers.get(Long.parseLong(number))));
                }
            }
        }
        // in batches: a night with many numbers pending on tickets would otherwise pay a round trip per number
        jdbc.batchUpdate("""
                INSERT INTO ledger_ticket_snapshot (run_date, rerun, platform, number, ticket, issued_on, correlator, status,
                    accounts, reason, detail, answer_correlator, answer_ticket)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows, BATCH, (ps, row) -> {
            BindingAnswer answer = row.answer();
            ps.setObject(1, night.date());
            ps.setLong(2, night.rerun());
            ps.setString(3, row.platform());
            ps.setString(4, row.number());
            ps.setString(5, row.ticket());
            ps.setObject(6, row.issuedOn());
            ps.setString(7, row.correlator());
            ps.setString(8, answer == null ? null : answer.status().name());
            ps.setObject(9, answer == null ? null : answer.accounts(), Types.INTEGER);
            ps.setString(10, answer == null ? null : answer.reason());
            ps.setString(11, answer == null ? null : answer.detail());
            ps.setString(12, answer == null ? null : answer.correlator());
            ps.setString(13, answer == null ? null : answer.ticket());
        });
    }

    private record Row(String platform, String number, String ticket, LocalDate issuedOn, String correlator, BindingAnswer answer) {
    }

    /** Hands {@code dispatcher} the night's snapshot: the tickets in the order {@link OpenTickets#load} gives them. */
    static void read(JdbcClient jdbc, Night night, BindingCheckDispatcher dispatcher) {
        List<Row> rows = jdbc.sql("""
                        SELECT platform, number, ticket, issued_on, correlator, status, accounts, reason, detail, answer_correlator,
                            answer_ticket
                        FROM ledger_ticket_snapshot WHERE run_date = ? AND rerun = ? ORDER BY platform, ticket, number""")
                .params(night.date(), night.rerun())
                .query((rs, row) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, LocalDate.class),
                        rs.getString(5), rs.getString(6) == null ? null : new BindingAnswer(BindingAnswer.Status.valueOf(rs.getString(6)),
                        rs.getInt(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11))))
                .list();
        Map<String, OpenTickets.Ticket> tickets = new LinkedHashMap<>();
        List<Platform> platforms = dispatcher.platforms();
        List<Long2ObjectOpenHashMap<BindingAnswer>> answers = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int p = 0; p < platforms.size(); p++) {
            answers.add(new Long2ObjectOpenHashMap<>());
            index.put(platforms.get(p).id(), p);
        }
        for (Row row : rows) {
            tickets.computeIfAbsent(row.platform() + '\n' + row.ticket(), key -> new OpenTickets.Ticket(row.platform(), row.ticket(),
                    row.issuedOn(), row.correlator(), new ArrayList<>())).numbers().add(row.number());
            Integer platform = index.get(row.platform());
            if (row.answer() != null && platform != null) {
                answers.get(platform).put(Long.parseLong(row.number()), row.answer());
            }
        }
        dispatcher.useTickets(OpenTickets.of(List.copyOf(tickets.values())), answers);
    }
}
