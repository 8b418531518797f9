package com.numberaudit.number;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;

/**
 * The numbers already met in this run, for the duplicate check. A primitive long set: about
 * 16 bytes per number, no boxed object, so millions of numbers fit in a small heap.
 */
public final class SeenNumbers {

    private final LongOpenHashSet seen = new LongOpenHashSet();

    /** @return true the first time a number is offered, false for every repeat */
    public boolean firstSighting(MobileNumber number) {
        return seen.add(number.digits());
    }

    /** Whether a number, by its 11 digits, was offered already. */
    public boolean contains(long digits) {
        return seen.contains(digits);
    }

    public int size() {
        return seen.size();
    }

    public void clear() {
        seen.clear();
    }
}
