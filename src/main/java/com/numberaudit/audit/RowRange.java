package com.numberaudit.audit;

/**
 * A contiguous range {@code [from, to)} of the night's row sequence: the input rows in file order, then the held
 * numbers the input did not list, numbered from 0 as the reader classifies them. A partition reads one range; the
 * single node reads {@link #ALL}.
 *
 * @param from the first row of the range
 * @param to   the row after the last; {@link Long#MAX_VALUE}: open-ended (to the end of the night's rows)
 */
public record RowRange(long from, long to) {

    /** Every row of the night: the single node. */
    public static final RowRange ALL = new RowRange(0, Long.MAX_VALUE);

    public RowRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("not a row range: [" + from + ", " + to + ")");
        }
    }

    public boolean openEnded() {
        return to == Long.MAX_VALUE;
    }

    /** How many of the rows {@code [0, rows)} fall in this range. */
    long within(long rows) {
        return Math.max(0, Math.min(to, rows) - from);
    }

    @Override
    public String toString() {
        return openEnded() ? "rows " + from + "–" : "rows " + from + "–" + (to - 1);
    }
}
