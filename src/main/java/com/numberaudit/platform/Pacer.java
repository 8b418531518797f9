package com.numberaudit.platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one platform's requests below its {@code rate-limit}: each request first takes the next free slot, and is sent
 * once that slot has come. No thread waits for it meanwhile.
 */
interface Pacer {

    /**
     * Takes the next free slot.
     *
     * @return completes when the slot has come: already complete when it is free now (the caller sends on its own
     *         thread, as it would unpaced), otherwise on the scheduler; completes exceptionally with
     *         {@link SlotUnavailable} when no slot could be taken, and then the request must not be sent
     */
    CompletableFuture<Void> nextSlot();

    /** No slot could be reserved (the shared limiter's database could not be reached): the request is not sent. */
    final class SlotUnavailable extends RuntimeException {

        SlotUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Completes on {@code scheduler} after {@code nanos}; no thread waits meanwhile. */
    static CompletableFuture<Void> after(ScheduledExecutorService scheduler, long nanos) {
        CompletableFuture<Void> elapsed = new CompletableFuture<>();
        scheduler.schedule(() -> elapsed.complete(null), nanos, TimeUnit.NANOSECONDS);
        return elapsed;
    }
}
