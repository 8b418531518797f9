package com.numberaudit.audit;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformSettings;
import com.numberaudit.platform.RetrySettings;

/**
 * Tells a stuck run from a slow one. The writer waits for a verdict as long as batches keep being
 * sent or answered; it fails the chunk (the run can then be restarted) only when nothing has moved
 * for longer than the slowest platform may take over one batch by its own settings, plus a margin.
 * A long queue of healthy batches is not a stall.
 */
final class StallGuard {

    /** On top of one more request (a 202's last poll, the 413 before a split): scheduling and GC pauses. */
    private static final Duration PAUSES = Duration.ofSeconds(5);

    private final long boundNanos;
    private final String bound;
    private volatile long lastProgress = System.nanoTime();

    StallGuard(Duration bound, String derivation) {
        this.boundNanos = bound.toNanos();
        this.bound = seconds(boundNanos) + " (" + derivation + ")";
    }

    static StallGuard of(List<Platform> platforms) {
        Platform slowest = platforms.stream().max(Comparator.comparing(platform -> longestBatch(platform.settings()))).orElseThrow();
        Duration longestBatch = longestBatch(slowest.settings());
        Duration longestTimeout = platforms.stream().map(platform -> platform.settings().timeout()).max(Comparator.naturalOrder())
                .orElseThrow();
        return new StallGuard(longestBatch.plus(longestTimeout).plus(PAUSES), "the longest batch of " + slowest.id() + ", "
                + seconds(longestBatch.toNanos()) + ", plus one more timeout, " + seconds(longestTimeout.toNanos())
                + ", and " + seconds(PAUSES.toNanos()));
    }

    /**
     * The longest one batch may take on a platform that still answers: every attempt times out, with
     * the longest back-off between attempts, then a 202 is polled for pending-wait; with a rate limit,
     * the batch may first wait for a slot behind max-concurrency others.
     */
    static Duration longestBatch(PlatformSettings settings) {
        RetrySettings retry = settings.retry();
        Duration longest = settings.timeout().multipliedBy(retry.maxAttempts())
                .plus(retry.maxBackoff().multipliedBy(retry.maxAttempts() - 1L))
                .plus(settings.pendingWait());
        return settings.rateLimit() == null ? longest : longest.plusNanos(Math.round(settings.maxConcurrency() / settings.rateLimit() * 1e9));
    }

    /** A batch was sent or answered. */
    void progress() {
        lastProgress = System.nanoTime();
    }

    /**
     * @param owing     names the platforms still owing answers, for the failure message
     * @param onlyHeld  whether every batch still owed is held back for its platform's open circuit ({@code audit.deadline}):
     *                  then the quiet is the wait for the circuit, which the deadline bounds, not a stall
     * @throws IllegalStateException when nothing moved for longer than the bound
     */
    BindingVerdict await(BindingCheck check, Supplier<String> owing, BooleanSupplier onlyHeld)
            throws InterruptedException, ExecutionException {
        while (true) {
            long quiet = System.nanoTime() - lastProgress;
            long wait = boundNanos - quiet;
            if (wait <= 0) {
                if (!onlyHeld.getAsBoolean()) {
                    throw new IllegalStateException("no batch was answered by any platform, or sent to one, for " + seconds(quiet)
                            + ", beyond the stall bound of " + bound + "; still owing answers: " + owing.get()
                            + "; the run fails and can be restarted");
                }
                wait = AskAgain.EVERY.toNanos();
            }
            try {
                return check.verdict().get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // look again: at the bound, or at the next re-ask of the numbers held back
            }
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
