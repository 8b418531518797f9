package com.numberaudit.platform;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Counts each request an exchange sends, the 429s among the answers, and times the requests the platform answered
 * (any HTTP status; a time-out, a refused connection or a failed handshake has no latency to speak of).
 */
final class MeteredExchange implements PlatformExchange {

    private final PlatformExchange exchange;
    private final PlatformMeters meters;

    MeteredExchange(PlatformExchange exchange, PlatformMeters meters) {
        this.exchange = exchange;
        this.meters = meters;
    }

    @Override
    public CompletableFuture<ExchangeOutcome> post(LocalDate asOf, List<byte[]> ids) {
        long sent = System.nanoTime();
        return recorded(exchange.post(asOf, ids), sent);
    }

    @Override
    public CompletableFuture<ExchangeOutcome> poll(String ticket, List<byte[]> ids) {
        long sent = System.nanoTime();
        return recorded(exchange.poll(ticket, ids), sent);
    }

    /** Counted once the exchange took the request (one that throws sent nothing). */
    private CompletableFuture<ExchangeOutcome> recorded(CompletableFuture<ExchangeOutcome> answer, long sent) {
        meters.requestSent();
        return answer.whenComplete((outcome, failure) -> record(outcome, sent));
    }

    private void record(ExchangeOutcome outcome, long sent) {
        if (outcome != null && outcome.responded()) {
            meters.answered(System.nanoTime() - sent);
            if (ExchangeOutcome.HTTP_429.equals(outcome.reason())) {
                meters.throttled();
            }
        }
    }
}
