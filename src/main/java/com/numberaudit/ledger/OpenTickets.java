package com.numberaudit.ledger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The tickets still open when a night starts (table {@code ledger_ticket}): per platform, each
 * ticket with the night it was given and the numbers still waiting for its answer. The night polls
 * them before it asks those numbers anything; the ledger keeps a ticket's first night while the
 * platform keeps it open.
 */
public final class OpenTickets {

    /** One ticket of one platform, and the numbers (11-digit national form) waiting for its answer. */
    public record Ticket(String platform, String ticket, LocalDate issuedOn, String correlator, List<String> numbers) {

        /** Whether the ticket is older than {@code answerWithin} days on {@code tonight}. */
        public boolean expiredOn(LocalDate tonight, long answerWithin) {
            return issuedOn.plusDays(answerWithin).isBefore(tonight);
        }
    }

    private final Map<String, Ticket> tickets;
    private final LongOpenHashSet waiting = new LongOpenHashSet();

    private OpenTickets(Map<String, Ticket> tickets) {
        this.tickets = tickets;
        tickets.values().forEach(ticket -> ticket.numbers().forEach(number -> waiting.add(Long.parseLong(number))));
    }

    public static OpenTickets none() {
        return new OpenTickets(Map.of());
    }

    /** These tickets (each of one platform). */
    public static OpenTickets of(List<Ticket> tickets) {
        Map<String, Ticket> byKey = new LinkedHashMap<>();
        tickets.forEach(ticket -> byKey.put(key(ticket.platform(), ticket.ticket()), ticket));
        return new OpenTickets(byKey);
    }

    private record Waiting(String platform, String ticket, LocalDate issuedOn, String correlator, String number) {
    }

    /** The tickets open in the ledger now. */
    public static OpenTickets load(JdbcClient jdbc) {
        Map<String, Ticket> tickets = new LinkedHashMap<>();
        jdbc.sql("SELECT platform, ticket, issued_on, correlator, number FROM ledger_ticket ORDER BY platform, ticket, number")
                .query((rs, row) -> new Waiting(rs.getString(1), rs.getString(2), rs.getObject(3, LocalDate.class), rs.getString(4),
                        rs.getString(5)))
                .list()
                .forEach(waiting -> tickets.computeIfAbsent(key(waiting.platform(), waiting.ticket()), key -> new Ticket(waiting.platform(),
                        waiting.ticket(), waiting.issuedOn(), waiting.correlator(), new ArrayList<>())).numbers().add(waiting.number()));
        return of(List.copyOf(tickets.values()));
    }

    /** The open tickets of one platform. */
    public List<Ticket> of(String platform) {
        return tickets.values().stream().filter(ticket -> ticket.platform().equals(platform)).toList();
    }

    /** Whether the number waits for a ticket's answer on some platform. */
    boolean waits(long digits) {
        return waiting.contains(digits);
    }

    /** The open {@code ticket} of {@code platform}, or null when it is not one of these (a ticket given tonight). */
    Ticket find(String platform, String ticket) {
        return tickets.get(key(platform, ticket));
    }

    private static String key(String platform, String ticket) {
        return platform + '\n' + ticket;
    }
}
