package com.numberaudit.platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Spaces a platform's requests {@code 1 / (0.99 · rate-limit)} apart across every process that asks it, through its
 * row of slots in the job repository ({@link RateSlots}); the same interval and margin as {@link RequestPacer}, whose
 * reasoning holds for them all together. A request is sent at its slot's start plus a delay {@code d} (the slot's answer
 * coming back, the scheduler, the send itself); with {@code d ≤ D}, a one-second window holds at most
 * {@code floor((1 + D) · 0.99 · rate) + 1} requests, which stays within the rate for any {@code D} below 10.1 ms
 * (docs/scale-out-design.md §5). A request is never sent before its slot: its wait is measured from when the
 * database's answer arrived, which is after the database computed it.
 * <p>
 * A reservation that fails (the database cannot be reached) gives no slot: the request is not sent, and its numbers get
 * no answer ({@value BindingAnswer#RATE_SLOT}).
 */
final class SharedRequestPacer implements Pacer {

    private final String platformId;
    private final long intervalMicros;
    private final RateSlots slots;
    private final ScheduledExecutorService scheduler;
    private final PlatformMeters meters;

    /**
     * @param scheduler where each request is let go when its slot comes: never the reservation thread, which must stay
     *                  free for the next reservation
     * @param meters    times each reservation (and counts those slower than 5 ms)
     */
    SharedRequestPacer(String platformId, double requestsPerSecond, RateSlots slots, ScheduledExecutorService scheduler,
                       PlatformMeters meters) {
        this.platformId = platformId;
        this.intervalMicros = Math.max(1, Math.round(1e6 / (requestsPerSecond * RequestPacer.MARGIN)));
        this.slots = slots;
        this.scheduler = scheduler;
        this.meters = meters;
    }

    @Override
    public CompletableFuture<Void> nextSlot() {
        return slotWhenItComes().thenApply(slot -> null);
    }

    /** The next free slot, given when it has come, on the scheduler. */
    CompletableFuture<RateSlots.RateSlot> slotWhenItComes() {
        long asked = System.nanoTime();
        return slots.reserve(platformId, intervalMicros).thenCompose(slot -> {
            meters.rateSlotReserved(System.nanoTime() - asked);
            return Pacer.after(scheduler, slot.waitNanos()).thenApply(come -> slot);
        });
    }

    /** The slot length, in µs: {@code 1 / (0.99 · rate-limit)}. */
    long intervalMicros() {
        return intervalMicros;
    }
}
