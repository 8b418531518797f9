package com.numberaudit.ledger;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps the trail to {@code audit.retention}: at the end of a run, the nights older than that lose
 * their trail, requests, held set and record, one night at a time and a page tail at a time (every
 * statement its own small transaction), for at most {@link #BUDGET}; what is left over goes the next
 * night. The numbers held keep their rows: a hold outlives any retention.
 */
@Component
public class TrailRetention {

    /** How long one run spends deleting at most: a retention shortened by years must not hold a night up. */
    static final Duration BUDGET = Duration.ofSeconds(30);

    private final JdbcClient jdbc;

    public TrailRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What a run deleted: the nights (oldest first), and whether older nights are still left for the next run. */
    public record Pruned(List<Night> nights, boolean more) {
    }

    /** Deletes the trail of the nights before {@code tonight} minus {@code retention} (whole days). */
    public Pruned prune(LocalDate tonight, Duration retention) {
        return prune(tonight, retention, BUDGET);
    }

    Pruned prune(LocalDate tonight, Duration retention, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<Night> expired = jdbc.sql("SELECT run_date, rerun FROM ledger_night WHERE run_date < ? ORDER BY run_date, rerun")
                .param(tonight.minusDays(retention.toDays()))
                .query((rs, row) -> new Night(rs.getObject(1, LocalDate.class), rs.getLong(2)))
                .list();
        for (int i = 0; i < expired.size(); i++) {
            if (System.nanoTime() > deadline) {
                return new Pruned(expired.subList(0, i), true);
            }
            delete(expired.get(i));
        }
        return new Pruned(expired, false);
    }

    private void delete(Night night) {
        for (int tail = 0; tail < Ledger.TAILS; tail++) {
            jdbc.sql("DELETE FROM ledger_trail WHERE run_date = ? AND rerun = ? AND tail = ?").params(night.date(), night.rerun(), tail)
                    .update();
        }
        for (String table : List.of("ledger_request", "ledger_reaudit", "ledger_night_platform", "ledger_night")) {
            jdbc.sql("DELETE FROM " + table + " WHERE run_date = ? AND rerun = ?").params(night.date(), night.rerun()).update();
        }
    }
}
