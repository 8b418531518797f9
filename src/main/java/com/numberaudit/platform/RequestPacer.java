package com.numberaudit.platform;

/**
 * Spaces a platform's requests at least {@code 1 / rate-limit} apart, so no window of one second
 * ever holds more requests than the platform allows. (A limiter that refills fixed cycles, such
 * as resilience4j's, lets two requests through back to back at a cycle boundary: 11 in some
 * one-second windows at 10 per second, each one a 429.) Reserving never blocks: it says how long
 * to wait.
 */
final class RequestPacer {

    /** Slots 1 % longer than the limit: a request sent a little late never crowds the next one into the same second. */
    private static final double MARGIN = 0.99;

    private final long intervalNanos;
    private long nextSlot;
    private boolean started;

    RequestPacer(double requestsPerSecond) {
        this.intervalNanos = Math.max(1, Math.round(1e9 / (requestsPerSecond * MARGIN)));
    }

    /** Takes the next free slot; returns the nanoseconds to wait before sending in it. */
    synchronized long reserve() {
        long now = System.nanoTime();
        long slot = started && nextSlot - now > 0 ? nextSlot : now;
        started = true;
        nextSlot = slot + intervalNanos;
        return slot - now;
    }
}
