package com.numberaudit.ledger;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What changed since the previous night, as far as the ledger knows: each night leaves its totals in
 * {@code ledger_night} (and each platform's in {@code ledger_night_platform}) when it ends, and the next
 * night's report sets its own beside them, with what became of the numbers held coming into the night.
 */
@Component
public class NightComparison {

    private final JdbcClient jdbc;

    public NightComparison(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A night's totals, and each platform's numbers bound and left unanswered. */
    public record Counts(long clean, long bound, long undetermined, long rejected, Map<String, PlatformCounts> platforms) {

        public Counts {
            platforms = Map.copyOf(platforms);
        }
    }

    public record PlatformCounts(long bound, long noAnswer) {
    }

    /**
     * What became of the numbers held coming into tonight (its held set): released (clean tonight) or still held;
     * and the numbers first held tonight.
     */
    public record Holds(long heldComingIn, long released, long stillHeld, long newlyHeld) {
    }

    /**
     * @param previous      the latest earlier night that finished (its last rerun), or null when the ledger has none
     * @param before        that night's counts, or null
     * @param holds         what became of the held numbers, or null when the ledger cannot tell ({@code holdsUnknown} says why)
     * @param holdsUnknown  why {@code holds} is null, for the reader
     */
    public record Comparison(Night previous, Counts before, Holds holds, String holdsUnknown) {
    }

    /** Leaves tonight's counts for the nights after it; again for a night whose report is written again (a restart). */
    public void record(Night night, Counts counts) {
        jdbc.sql("UPDATE ledger_night SET clean = ?, bound = ?, undetermined = ?, rejected = ? WHERE run_date = ? AND rerun = ?")
                .params(counts.clean(), counts.bound(), counts.undetermined(), counts.rejected(), night.date(), night.rerun()).update();
        jdbc.sql("DELETE FROM ledger_night_platform WHERE run_date = ? AND rerun = ?").params(night.date(), night.rerun()).update();
        new TreeMap<>(counts.platforms()).forEach((platform, platformCounts) -> jdbc.sql("""
                        INSERT INTO ledger_night_platform (run_date, rerun, platform, bound, no_answer) VALUES (?, ?, ?, ?, ?)""")
                .params(night.date(), night.rerun(), platform, platformCounts.bound(), platformCounts.noAnswer()).update());
    }

    /** Tonight against the latest earlier night that finished; read after tonight's audit, before a later night runs. */
    public Comparison compare(Night tonight) {
        Night previous = jdbc.sql("""
                        SELECT run_date, rerun FROM ledger_night WHERE run_date < ? AND clean IS NOT NULL
                        ORDER BY run_date DESC, rerun DESC FETCH FIRST 1 ROWS ONLY""")
                .param(tonight.date())
                .query((rs, row) -> new Night(rs.getObject(1, LocalDate.class), rs.getLong(2)))
                .optional().orElse(null);
        Counts before = previous == null ? null : counts(previous);
        List<LocalDate> later = jdbc.sql("SELECT run_date FROM ledger_night WHERE run_date > ? ORDER BY run_date DESC")
                .param(tonight.date()).query(LocalDate.class).list();
        if (!later.isEmpty()) {
            return new Comparison(previous, before, null, "the ledger has a later night (" + later.get(0)
                    + "), whose word on these numbers stands");
        }
        Boolean reaudited = jdbc.sql("SELECT reaudit FROM ledger_night WHERE run_date = ? AND rerun = ?")
                .params(tonight.date(), tonight.rerun()).query(Boolean.class).optional().orElse(false);
        if (!reaudited) {
            return new Comparison(previous, before, null, "the held numbers were not re-audited tonight (audit.reaudit=false)");
        }
        return new Comparison(previous, before, holds(tonight), null);
    }

    private Counts counts(Night night) {
        Map<String, PlatformCounts> platforms = new TreeMap<>();
        jdbc.sql("SELECT platform, bound, no_answer FROM ledger_night_platform WHERE run_date = ? AND rerun = ?")
                .params(night.date(), night.rerun())
                .query(rs -> {
                    platforms.put(rs.getString(1), new PlatformCounts(rs.getLong(2), rs.getLong(3)));
                });
        return jdbc.sql("SELECT clean, bound, undetermined, rejected FROM ledger_night WHERE run_date = ? AND rerun = ?")
                .params(night.date(), night.rerun())
                .query((rs, row) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), platforms))
                .single();
    }

    /**
     * The ledger keeps held numbers only: a number of the held set with no row any more was released tonight. Each
     * count walks the held set (looking each number up by key) or the index on held_since, never a join the other way.
     */
    private Holds holds(Night tonight) {
        long heldComingIn = count("SELECT COUNT(*) FROM ledger_reaudit WHERE run_date = ? AND rerun = ?", tonight);
        long stillHeld = count("""
                SELECT COUNT(*) FROM ledger_reaudit r JOIN ledger_number n ON n.number = r.number
                WHERE r.run_date = ? AND r.rerun = ?""", tonight);
        // a number of the held set may itself be held since tonight: a rerun's, whose hold an earlier attempt began
        long heldSinceTonight = jdbc.sql("SELECT COUNT(*) FROM ledger_number WHERE held_since = ?").param(tonight.date())
                .query(Long.class).single();
        long heldSetSinceTonight = jdbc.sql("""
                        SELECT COUNT(*) FROM ledger_reaudit r JOIN ledger_number n ON n.number = r.number
                        WHERE r.run_date = ? AND r.rerun = ? AND n.held_since = ?""")
                .params(tonight.date(), tonight.rerun(), tonight.date()).query(Long.class).single();
        return new Holds(heldComingIn, heldComingIn - stillHeld, stillHeld, heldSinceTonight - heldSetSinceTonight);
    }

    private long count(String sql, Night night) {
        return jdbc.sql(sql).params(night.date(), night.rerun()).query(Long.class).single();
    }
}
