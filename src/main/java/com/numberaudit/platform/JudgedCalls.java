package com.numberaudit.platform;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A platform's last calls as its circuit breaker judges them (a count-based window of
 * {@code minimum-calls}): each failure's reason, or null for a success. An opening of the circuit
 * is logged with them, so the operator reads why, not only that, the platform was given up on.
 */
final class JudgedCalls {

    private final String[] reasons;
    private int next;
    private int count;

    JudgedCalls(int size) {
        this.reasons = new String[size];
    }

    /** @param failureReason why the call failed, or null when it did not */
    synchronized void record(String failureReason) {
        reasons[next] = failureReason;
        next = (next + 1) % reasons.length;
        count = Math.min(count + 1, reasons.length);
    }

    /** The breaker starts a fresh window with each change of state; so does this. */
    synchronized void clear() {
        Arrays.fill(reasons, null);
        next = 0;
        count = 0;
    }

    /** The failures by reason, most frequent first, over the calls judged: {@code TIMEOUT ×5, HTTP_503 ×1 of 10}. */
    synchronized String describe() {
        Map<String, Integer> failures = new HashMap<>();
        for (int i = 0; i < count; i++) {
            if (reasons[i] != null) {
                failures.merge(reasons[i], 1, Integer::sum);
            }
        }
        return failures.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .map(failure -> failure.getKey() + " ×" + failure.getValue())
                .collect(Collectors.joining(", ")) + " of " + count;
    }
}
