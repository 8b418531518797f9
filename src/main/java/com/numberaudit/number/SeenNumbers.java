package com.numberaudit.number;

import java.util.Arrays;

import org.roaringbitmap.RoaringBitmap;

/**
 * The numbers already met in this run, for the duplicate check: exact (a number is reported as seen only if it was
 * offered), in compressed bitmaps that take about 2.4 bytes a number at 10 million numbers.
 * <p>
 * Why Roaring bitmaps: measured with JOL for 10,000,000 distinct numbers on 23 real prefixes (bench/run.sh scenario
 * m, docs/performance.md), random within a prefix and in runs of nearby numbers: fastutil's {@code LongOpenHashSet},
 * used before, takes 13.4 bytes a number (134 MB), and growing past 6,291,456 numbers it holds its old and its new
 * table at once (192 MB): a night of 10 million rows ran out of a 256 MiB heap at 6.27 million rows. The library's
 * {@code Roaring64NavigableMap} (a {@code RoaringBitmap} per value of the high 32 bits, as here) takes 2.45 bytes a
 * number (2.33 for runs), as much as a {@code RoaringBitmap} per 3-digit prefix and a little less than
 * {@code Roaring64Bitmap} (2.57 / 2.37).
 * <p>
 * Why a bitmap per value of the high 32 bits, in an array: an 11-digit number is below 2<sup>35</sup>, so its high
 * bits take 5 values and its low 32 bits are the bitmap's (unsigned) int; one {@code checkedAdd} both tests and adds.
 * {@code Roaring64NavigableMap} finds the same bitmap through a tree map, twice (contains, then add): 10,000,000
 * random numbers of those 23 prefixes took 0.51&ndash;0.59 &micro;s an add there, 0.32&ndash;0.40 here (one run of
 * three rounds each, production JVM options).
 */
public final class SeenNumbers {

    /** The bitmap of each value of a number's high 32 bits; an 11-digit number's are 2 to 4. */
    private final RoaringBitmap[] byHighBits = new RoaringBitmap[(int) (MobileNumber.LARGEST >>> 32) + 1];

    /** @return true the first time a number is offered, false for every repeat */
    public boolean firstSighting(MobileNumber number) {
        long digits = number.digits();
        int high = (int) (digits >>> 32);
        RoaringBitmap bitmap = byHighBits[high];
        if (bitmap == null) {
            bitmap = byHighBits[high] = new RoaringBitmap();
        }
        return bitmap.checkedAdd((int) digits);
    }

    /** Whether a number, by its 11 digits, was offered already. */
    public boolean contains(long digits) {
        if (digits < 0 || digits > MobileNumber.LARGEST) {
            return false;
        }
        RoaringBitmap bitmap = byHighBits[(int) (digits >>> 32)];
        return bitmap != null && bitmap.contains((int) digits);
    }

    /** How many distinct numbers were offered. */
    public long size() {
        long size = 0;
        for (RoaringBitmap bitmap : byHighBits) {
            size += bitmap == null ? 0 : bitmap.getLongCardinality();
        }
        return size;
    }

    public void clear() {
        Arrays.fill(byHighBits, null);
    }
}
