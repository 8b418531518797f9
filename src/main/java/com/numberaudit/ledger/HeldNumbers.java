package com.numberaudit.ledger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * A night's held set in memory, compact (about 40 bytes a number): in its order, for the reader to
 * re-audit after tonight's input, and by number, for the {@code held_since} of an input row that
 * an earlier night held. Loaded once per step, so no row costs a query.
 */
public final class HeldNumbers {

    private static final int NOT_HELD = Integer.MIN_VALUE;

    private final LongArrayList numbers = new LongArrayList();
    private final IntArrayList ordinals = new IntArrayList();
    private final IntArrayList heldSinceDays = new IntArrayList();
    private final List<String> cancelledOn = new ArrayList<>();
    private final Map<String, String> sameText = new HashMap<>();
    private final Long2IntOpenHashMap heldSinceByNumber = new Long2IntOpenHashMap();

    HeldNumbers() {
        heldSinceByNumber.defaultReturnValue(NOT_HELD);
    }

    /** A held set of these numbers, in this order. */
    public static HeldNumbers of(List<HeldNumber> numbers) {
        HeldNumbers held = new HeldNumbers();
        numbers.forEach(held::add);
        return held;
    }

    void add(HeldNumber held) {
        long digits = Long.parseLong(held.number());
        int since = (int) held.heldSince().toEpochDay();
        numbers.add(digits);
        ordinals.add(held.ordinal());
        heldSinceDays.add(since);
        cancelledOn.add(sameText.computeIfAbsent(held.cancelledOn(), text -> text));
        heldSinceByNumber.put(digits, since);
    }

    public int size() {
        return numbers.size();
    }

    /** The {@code index}-th number of the set, from 0. */
    public HeldNumber get(int index) {
        return new HeldNumber(ordinals.getInt(index), Long.toString(numbers.getLong(index)),
                LocalDate.ofEpochDay(heldSinceDays.getInt(index)), cancelledOn.get(index));
    }

    /** The digits of the {@code index}-th number of the set, as stored (valid or not). */
    public long digits(int index) {
        return numbers.getLong(index);
    }

    /** The first night of the number's hold, or null if the set does not hold it. */
    public LocalDate heldSince(long digits) {
        int since = heldSinceByNumber.get(digits);
        return since == NOT_HELD ? null : LocalDate.ofEpochDay(since);
    }
}
