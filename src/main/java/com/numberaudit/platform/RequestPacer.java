package com.numberaudit.platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Spaces a platform's requests at least {@code 1 / rate-limit} apart, so no window of one second
 * ever holds more requests than the platform allows. (A limiter that refills fixed cycles, such
 * as resilience4j's, lets two requests through back to back at a cycle boundary: 11 in some
 * one-second windows at 10 per second, each one a 429.) Reserving never blocks: it says how long
 * to wait.
 * <p>
 * This process's own pacing: right for one process asking the platform. When several processes
 * (workers) ask it, their slots come from {@link SharedRequestPacer} instead.
 */
final class RequestPacer implements Pacer {

    /** Slots 1 % longer than the limit: a request sent a little late never crowds the next one into the same second. */
    static final double MARGIN = 0.99;

    private final long intervalNanos;
    private final ScheduledExecutorService scheduler;
    private long nextSlot;
    private boolean started;

    /** @param scheduler where a request that must wait for its slot is let go */
    RequestPacer(double requestsPerSecond, ScheduledExecutorService scheduler) {
        this.intervalNanos = Math.max(1, Math.round(1e9 / (requestsPerSecond * MARGIN)));
        this.scheduler = scheduler;
    }

    /** Takes the next free slot; returns the nanoseconds to wait before sending in it. */
    private synchronized long reserve() {
        long now = System.nanoTime();
        long slot = started && nextSlot - now > 0 ? nextSlot : now;
        started = true;
        nextSlot = slot + intervalNanos;
        return slot - now;
    }

    @Override
    public CompletableFuture<Void> nextSlot() {
        long waitNanos = reserve();
        return waitNanos == 0 ? CompletableFuture.completedFuture(null) : Pacer.after(scheduler, waitNanos);
    }
}
