package com.numberaudit.platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Spaces a platform's requests {@code 1 / (0.99 · rate-limit)} apart across every process that asks it, through its
 * row of slots in the job repository ({@link RateSlots}); the same interval and margin as {@link RequestPacer}, whose
 * reasoning holds for them all together. A request is sent at its slot's start plus a delay {@code d} (the slot's answer
 * coming back, the scheduler, the send itself); with {@code d ≤ D}, a one-second window holds at most
 * {@code floor((1 + D) · 0.99 · rate) + 1} requests, which stays within the rate for any {@code D} below 10.1 ms
 * (docs/scale-out-design.md §5). A request is never sent before its slot: its wait is measured from when the
 * database's answer arrived, which is after the database computed it.
 * <p>
 * D is not left to chance: a slot this process cannot use within {@link #LATEST} of its start is left unused
 * (counted) and another taken. Without that, 53 requests fell in one second at 50 per second on a loaded machine
 * (two cores, load 14): a thread kept waiting for a CPU for tens of milliseconds.
 * <p>
 * A reservation that fails (the database cannot be reached) gives no slot: the request is not sent, and its numbers get
 * no answer ({@value BindingAnswer#RATE_SLOT}).
 */
final class SharedRequestPacer implements Pacer {

    /**
     * The latest a request may be sent after its slot's start: half of the 10.1 ms the margin allows, the other half
     * left for the request's way through the HTTP client and the network to the platform.
     */
    static final long LATEST = TimeUnit.MILLISECONDS.toNanos(5);
    /** Late slots in a row after which a request is not sent. */
    static final int TRIES = 10;

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
        return slotWhenItComes(0);
    }

    /**
     * A slot that may be used only if it is not late: a request sent more than {@link #LATEST} after its slot's start
     * (the reservation's answer slow to come back or to be read, a busy scheduler, a pause of this process) could crowd
     * the slots after it into one second. Such a slot is left unused and another one taken; after {@value #TRIES} late
     * ones in a row, none is had. Lateness is bounded from this process's clock alone ({@link RateSlots.RateSlot#due()}):
     * the whole round trip of the reservation counts, as the answer's way back cannot be told apart from the way there.
     */
    private CompletableFuture<RateSlots.RateSlot> slotWhenItComes(int lateOnes) {
        long asked = System.nanoTime();
        return slots.reserve(platformId, intervalMicros).thenCompose(slot -> {
            meters.rateSlotReserved(System.nanoTime() - asked);
            return Pacer.after(scheduler, slot.waitNanos()).thenCompose(come -> {
                if (System.nanoTime() - slot.due() <= LATEST) {
                    return CompletableFuture.completedFuture(slot);
                }
                meters.rateSlotLate();
                return lateOnes + 1 < TRIES ? slotWhenItComes(lateOnes + 1)
                        : CompletableFuture.failedFuture(new SlotUnavailable(TRIES + " rate slots in a row came too late to be used "
                                + "(this process or its database is overloaded)", null));
            });
        });
    }

    /** The slot length, in µs: {@code 1 / (0.99 · rate-limit)}. */
    long intervalMicros() {
        return intervalMicros;
    }
}
