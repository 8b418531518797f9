package com.numberaudit.audit;

import java.time.Duration;
import java.util.Locale;

/**
 * How far the audit step is, as one log line: rows done of the total, percent, rate, time left
 * and the verdicts so far. Counts only, grouped by thousands: no number can appear in it.
 *
 * @param done          rows written (committed ones of an interrupted run included)
 * @param total         rows the step writes in all, as far as known ({@link PendingNumberReader#expectedRows()}: at
 *                      most a little too many until the input is read); a {@code done} beyond it counts as the total
 * @param rowsPerSecond the recent rate of this process, 0 before the first answers
 */
record Progress(long done, long total, double rowsPerSecond, long clean, long bound, long undetermined, long rejected) {

    /** Rows still to write at the recent rate; null while nothing has been written to measure it by. */
    Duration eta() {
        if (rowsPerSecond <= 0) {
            return null;
        }
        long left = Math.max(0, total - done);
        return Duration.ofSeconds((long) Math.ceil(left / rowsPerSecond));
    }

    /** {@code progress: 12,000 of 200,000 rows (6.0 %), 1,180 rows/s, ETA 2 min 50 s; clean 11,200, …}. */
    String line() {
        return line("progress");
    }

    /** @param what the line's first word(s): {@code progress} */
    String line(String what) {
        long of = Math.max(total, done);
        // rounded down: 100.0 % only once every row is written
        double percent = of == 0 ? 100 : Math.floor(1000.0 * done / of) / 10;
        Duration eta = eta();
        return String.format(Locale.ROOT, "%s: %,d of %,d rows (%.1f %%), %s rows/s, ETA %s; clean %,d, bound %,d, undetermined %,d, "
                        + "rejected %,d", what, done, of, percent, rate(), eta == null ? "unknown (no answer yet)" : duration(eta),
                clean, bound, undetermined, rejected);
    }

    private String rate() {
        return rowsPerSecond < 10 ? String.format(Locale.ROOT, "%.1f", rowsPerSecond) : String.format(Locale.ROOT, "%,d", Math.round(rowsPerSecond));
    }

    /** {@code 42 s}, {@code 2 min 05 s}, {@code 3 h 07 min}. */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }
}
