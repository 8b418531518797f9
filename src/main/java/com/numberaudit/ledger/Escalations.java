package com.numberaudit.ledger;

import java.time.Duration;
import java.time.LocalDate;
import java.util.stream.Stream;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The numbers held longer than {@code audit.escalate-after}: a binding that outlives months of
 * chasing needs a person (the platform's support, the old owner). Listed from the ledger as the
 * night leaves it, in escalations.csv of the night's results.
 */
@Component
public class Escalations {

    public static final String FILE = "escalations.csv";
    /** Rows per round trip; PostgreSQL's driver otherwise reads the whole result into memory first. */
    private static final int FETCH_SIZE = 1_000;

    private final JdbcClient jdbc;

    public Escalations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A number held longer than it should be: since when, and what still holds it. */
    public record Escalation(String number, LocalDate heldSince, String platforms, String reasons) {
    }

    /**
     * The numbers held, after {@code tonight}, for longer than {@code escalateAfter} (in whole days), longest first,
     * read as they are consumed (a long list is never held in memory): close the stream.
     */
    public Stream<Escalation> due(LocalDate tonight, Duration escalateAfter) {
        LocalDate heldBefore = tonight.minusDays(escalateAfter.toDays());
        return jdbc.sql("""
                        SELECT number, held_since, platforms, reasons FROM ledger_number
                        WHERE held_since < ? ORDER BY held_since, number""")
                .withFetchSize(FETCH_SIZE)
                .param(heldBefore)
                .query((rs, row) -> new Escalation(rs.getString(1), rs.getObject(2, LocalDate.class),
                        rs.getString(3) == null ? "" : rs.getString(3), rs.getString(4) == null ? "" : rs.getString(4)))
                .stream();
    }
}
