package com.numberaudit.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code audit.deadline}: until when numbers refused by a platform's open circuit ({@code CIRCUIT_OPEN}) are held back
 * and asked again, rather than ending undetermined. Counted from the start of the run's first execution, so a run
 * resumed after a kill keeps the deadline it had; within a process it is measured on the monotonic clock, so a clock
 * change in the night moves nothing.
 */
final class AskAgain {

    /**
     * How long a refused batch waits before it is asked again: the breaker lets trial requests through once its
     * {@code open-for} has passed, and a refusal costs no request, so asking each second finds the half-open circuit
     * within a second without any request the platform would see.
     */
    static final Duration EVERY = Duration.ofSeconds(1);
    /** The longest deadline taken as given; beyond it, a year (no night is that long). */
    private static final Duration LONGEST = Duration.ofDays(365);
    /**
     * One thread for every re-ask of every platform: a re-ask only hands the batch to its adapter, which does not
     * wait; a thread per re-ask (CompletableFuture's delayed executor on 2 cores) would start hundreds a second.
     */
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ask-again");
        thread.setDaemon(true);
        return thread;
    });

    private final Duration deadline;
    /**
     * Whether the run was asked to stop (SIGTERM): then nothing is held back any more, so the chunk under way can end
     * and the run stop at its boundary rather than at the deadline.
     */
    private final BooleanSupplier stopping;
    private volatile long deadlineNanos;
    private volatile String shown;

    private AskAgain(Duration deadline, BooleanSupplier stopping) {
        this.deadline = deadline.compareTo(LONGEST) > 0 ? LONGEST : deadline;
        this.stopping = stopping;
        from(Instant.now());
    }

    /** @param deadline from now, until {@link #from} says when the run began; zero: never ask again */
    static AskAgain until(Duration deadline) {
        return until(deadline, () -> false);
    }

    /** @param deadline from now, until {@link #from} says when the run began; zero: never ask again */
    static AskAgain until(Duration deadline, BooleanSupplier stopping) {
        return new AskAgain(deadline, stopping);
    }

    /** Counts the deadline from when the run began (its first execution: a resumed run began before its kill). */
    void from(Instant runStarted) {
        Instant at = runStarted.plus(deadline);
        deadlineNanos = System.nanoTime() + Duration.between(Instant.now(), at).toNanos();
        shown = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault()).format(at) + " (audit.deadline "
                + deadline.toString().substring(2).toLowerCase() + " after the start)";
    }

    /** The deadline as the log shows it: the local time of day, and the setting. */
    String shown() {
        return shown;
    }

    /** Whether a refused batch may wait {@link #EVERY} once more and still be asked before the deadline. */
    boolean allowsAnotherTry() {
        return deadlineNanos - System.nanoTime() > EVERY.toNanos() && !stopping.getAsBoolean();
    }

    /** Runs {@code reask} after {@link #EVERY}; throws if it cannot be scheduled (the caller then gives up the hold). */
    static void later(Runnable reask) {
        LATER.schedule(reask, EVERY.toNanos(), TimeUnit.NANOSECONDS);
    }
}
