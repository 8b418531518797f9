package com.numberaudit.number;

import org.roaringbitmap.longlong.Roaring64NavigableMap;

/**
 * The numbers already met in this run, for the duplicate check: exact (a number is reported as seen only if it was
 * offered), in a compressed bitmap that takes about 2.4 bytes a number at 10 million numbers.
 * <p>
 * Why a Roaring bitmap: measured with JOL for 10,000,000 distinct numbers on 23 real prefixes (bench/run.sh scenario
 * m, docs/performance.md), random within a prefix and in runs of nearby numbers: fastutil's {@code LongOpenHashSet},
 * used before, takes 13.4 bytes a number (134 MB), and growing past 6,291,456 numbers it holds its old and its new
 * table at once (192 MB): a night of 10 million rows ran out of a 256 MiB heap at 6.27 million rows.
 * {@code Roaring64NavigableMap} takes 2.45 bytes a number (2.33 for runs), as much as a {@code RoaringBitmap} per
 * 3-digit prefix (2.45 / 2.33) and a little less than {@code Roaring64Bitmap} (2.57 / 2.37); it is the library's own
 * exact set of any {@code long}, so no prefix arithmetic of ours can misplace a number.
 */
public final class SeenNumbers {

    private final Roaring64NavigableMap seen = new Roaring64NavigableMap();

    /** @return true the first time a number is offered, false for every repeat */
    public boolean firstSighting(MobileNumber number) {
        long digits = number.digits();
        if (seen.contains(digits)) {
            return false;
        }
        seen.addLong(digits);
        return true;
    }

    /** Whether a number, by its 11 digits, was offered already. */
    public boolean contains(long digits) {
        return seen.contains(digits);
    }

    /** How many distinct numbers were offered. */
    public long size() {
        return seen.getLongCardinality();
    }

    public void clear() {
        seen.clear();
    }
}
