package com.numberaudit.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.BooleanSupplier;

/**
 * {@code audit.deadline}: until when numbers refused by a platform's open circuit ({@code CIRCUIT_OPEN}) are held back
 * and asked again, rather than ending undetermined. Measured on the monotonic clock from the job's start, so a clock
 * change in the night moves nothing.
 *
 * @param deadlineNanos {@link System#nanoTime()} of the deadline
 * @param shown         the deadline as the log shows it: the local time of day, and the setting
 * @param stopping      whether the run was asked to stop (SIGTERM): then nothing is held back any more, so the chunk
 *                      under way can end and the run stop at its boundary rather than at the deadline
 */
record AskAgain(long deadlineNanos, String shown, BooleanSupplier stopping) {

    /**
     * How long a refused batch waits before it is asked again: the breaker lets trial requests through once its
     * {@code open-for} has passed, and a refusal costs no request, so asking each second finds the half-open circuit
     * within a second without any request the platform would see.
     */
    static final Duration EVERY = Duration.ofSeconds(1);

    /** @param deadline from now; zero: never ask again */
    static AskAgain until(Duration deadline) {
        return until(deadline, () -> false);
    }

    /** @param deadline from now; zero: never ask again */
    static AskAgain until(Duration deadline, BooleanSupplier stopping) {
        long now = System.nanoTime();
        long nanos = deadline.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : deadline.toNanos();
        String at = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault()).format(Instant.now().plusNanos(nanos));
        return new AskAgain(now + nanos, at + " (audit.deadline " + deadline.toString().substring(2).toLowerCase() + " after the start)", stopping);
    }

    /** Whether a refused batch may wait {@link #EVERY} once more and still be asked before the deadline. */
    boolean allowsAnotherTry() {
        return deadlineNanos - System.nanoTime() > EVERY.toNanos() && !stopping.getAsBoolean();
    }
}
