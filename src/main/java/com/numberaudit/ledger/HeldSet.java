package com.numberaudit.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.numberaudit.Sha256;

/**
 * The numbers held by earlier nights (BOUND, UNDETERMINED, PENDING), as a night sees them: taken
 * once, when the night first starts, into {@code ledger_reaudit}, and read from there by the night
 * and by every restart of it. So a restart re-audits the same numbers in the same places, whatever
 * the chunks committed before the crash changed in the ledger, and the reader's position (a count
 * of rows) stays exact.
 */
@Component
public class HeldSet {

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    public HeldSet(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** How a night's held set is named in the run's identity. */
    public record Summary(int numbers, String sha256) {

        @Override
        public String toString() {
            return numbers + (numbers == 1 ? " number" : " numbers") + ", sha256 " + sha256.substring(0, 16);
        }
    }

    /**
     * Records the night (its platforms, in the order of the trail) and takes its held set: every number
     * held since tonight or earlier, in the order of the numbers; and, for a rerun of the date (or a night
     * started afresh again), every number an earlier attempt of the date took and no longer holds (it
     * released it): its results were replaced or abandoned, so its word on them is not trusted. Such a
     * number keeps the first night of the hold that attempt ended.
     */
    public void take(Night night, List<String> platformIds, boolean reaudit) {
        transaction.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM ledger_reaudit WHERE run_date = ? AND rerun = ?").params(night.date(), night.rerun()).update();
            jdbc.sql("DELETE FROM ledger_night_platform WHERE run_date = ? AND rerun = ?").params(night.date(), night.rerun()).update();
            jdbc.sql("DELETE FROM ledger_night WHERE run_date = ? AND rerun = ?").params(night.date(), night.rerun()).update();
            jdbc.sql("INSERT INTO ledger_night (run_date, rerun, platforms, reaudit) VALUES (?, ?, ?, ?)")
                    .params(night.date(), night.rerun(), String.join(";", platformIds), reaudit).update();
            jdbc.sql("""
                    INSERT INTO ledger_reaudit (run_date, rerun, ordinal, number, held_since, cancelled_on)
                    SELECT CAST(? AS DATE), CAST(? AS INTEGER), ROW_NUMBER() OVER (ORDER BY number), number, held_since, cancelled_on
                    FROM (
                        SELECT number, held_since, cancelled_on FROM ledger_number WHERE held_since <= ?
                        UNION ALL
                        SELECT earlier.number, MIN(earlier.held_since), MIN(earlier.cancelled_on)
                        FROM ledger_reaudit earlier
                        WHERE earlier.run_date = ? AND earlier.rerun < ?
                        AND NOT EXISTS (SELECT 1 FROM ledger_number n WHERE n.number = earlier.number AND n.held_since <= ?)
                        GROUP BY earlier.number
                    ) held""")
                    .params(night.date(), night.rerun(), night.date(), night.date(), night.rerun(), night.date()).update();
        });
    }

    /** The night's held set (empty if it was never taken). */
    public HeldNumbers load(Night night) {
        return held(jdbc.sql("SELECT ordinal, number, held_since, cancelled_on FROM ledger_reaudit WHERE run_date = ? AND rerun = ? "
                + "ORDER BY ordinal").params(night.date(), night.rerun()));
    }

    /**
     * What a first run of {@code date} would take as its held set now, read only (a dry run): the numbers held since
     * that date or earlier, in number order. (A rerun would also take what the date's earlier attempts released.)
     */
    public HeldNumbers peek(LocalDate date) {
        return held(jdbc.sql("SELECT ROW_NUMBER() OVER (ORDER BY number), number, held_since, cancelled_on FROM ledger_number "
                + "WHERE held_since <= ? ORDER BY number").params(date));
    }

    /** The rows of a query of (ordinal, number, held_since, cancelled_on), in its order. */
    private static HeldNumbers held(JdbcClient.StatementSpec query) {
        HeldNumbers held = new HeldNumbers();
        query.query(rs -> {
            held.add(new HeldNumber(rs.getInt(1), rs.getString(2), rs.getObject(3, LocalDate.class),
                    rs.getString(4) == null ? "" : rs.getString(4)));
        });
        return held;
    }

    /** How many numbers the night's held set has. */
    public int size(Night night) {
        return jdbc.sql("SELECT COUNT(*) FROM ledger_reaudit WHERE run_date = ? AND rerun = ?")
                .params(night.date(), night.rerun()).query(Integer.class).single();
    }

    /** How many numbers the night's held set has, and the SHA-256 of them in order. */
    public Summary summary(Night night) {
        MessageDigest digest = Sha256.digest();
        int[] count = {0};
        jdbc.sql("SELECT number FROM ledger_reaudit WHERE run_date = ? AND rerun = ? ORDER BY ordinal")
                .params(night.date(), night.rerun())
                .query(rs -> {
                    digest.update(rs.getString(1).getBytes(StandardCharsets.US_ASCII));
                    digest.update((byte) '\n');
                    count[0]++;
                });
        return new Summary(count[0], HexFormat.of().formatHex(digest.digest()));
    }
}
