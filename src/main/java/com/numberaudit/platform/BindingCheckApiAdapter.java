package com.numberaudit.platform;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.numberaudit.number.MobileNumber;

/**
 * Speaks Binding Check API v1 to one platform, with the platform's own policies composed around
 * each {@link BindingCheckExchange}: a {@link Pacer} spaces requests below {@code rate-limit} (this process's own, or
 * one shared by every worker);
 * from resilience4j, a {@link Retry} repeats transient failures with exponential back-off and
 * jitter (at least {@code Retry-After} after a 429; a 429 asking for longer than {@code max-backoff}
 * is not retried) and a {@link CircuitBreaker} stops asking a platform that keeps failing. A 413
 * splits the batch; a 401/403 marks the platform down for the run; a 202 is polled for up to
 * {@code pending-wait}. Whatever still has no answer gets NO_ANSWER.
 */
public final class BindingCheckApiAdapter implements BindingCheckAdapter {

    public static final String NAME = "binding-check-api";
    private static final Logger log = LoggerFactory.getLogger(BindingCheckApiAdapter.class);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final String ADAPTER_ERROR = "ADAPTER_ERROR";

    private final String platformId;
    private final PlatformExchange exchange;
    private final ScheduledExecutorService scheduler;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final JudgedCalls judgedCalls;
    private final PlatformMeters meters;
    private final Pacer pacer;
    private final ThreadLocal<PlatformIds> platformIds;
    private final Duration pendingWait;
    private final AtomicInteger largestAcceptedBatch;
    private final Limit concurrencyLimit;
    private volatile String downReason;
    private final AtomicBoolean unexpectedLogged = new AtomicBoolean();

    /**
     * @param meters           counts each request, retry, 429 and circuit opening, and times the requests answered
     * @param pacer            keeps the requests below the platform's {@code rate-limit}; null when it has none
     * @param concurrencyLimit how many batches may be in flight now ({@link AdaptiveConcurrency})
     */
    BindingCheckApiAdapter(Platform platform, PlatformExchange exchange, ScheduledExecutorService scheduler, PlatformMeters meters,
                           Pacer pacer, Limit concurrencyLimit) {
        PlatformSettings settings = platform.settings();
        this.platformId = platform.id();
        this.exchange = new MeteredExchange(exchange, meters);
        this.scheduler = scheduler;
        this.meters = meters;
        Duration maxBackoff = settings.retry().maxBackoff();
        IntervalFunction backoffs = IntervalFunction.ofExponentialRandomBackoff(settings.retry().initialBackoff(), 2.0, 0.5, maxBackoff);
        this.retry = Retry.of(platformId, RetryConfig.<ExchangeOutcome>custom()
                .maxAttempts(settings.retry().maxAttempts())
                // a Retry-After beyond max-backoff would hold the batch longer than any back-off may: no answer, at once
                .retryOnResult(outcome -> outcome.retryable() && !outcome.throttledBeyond(maxBackoff))
                .failAfterMaxAttempts(false)
                .intervalBiFunction((attempt, outcome) -> {
                    long backoff = backoffs.apply(attempt);
                    Duration retryAfter = outcome.isRight() ? outcome.get().retryAfter() : null;
                    return retryAfter == null ? backoff : Math.max(backoff, retryAfter.toMillis());
                })
                .build());
        this.retry.getEventPublisher().onRetry(event -> meters.retried());
        int judged = settings.circuitBreaker().minimumCalls();
        this.circuitBreaker = CircuitBreaker.of(platformId, CircuitBreakerConfig.custom()
                .slidingWindow(judged, judged, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                // as many trial calls as a closed circuit judges, so a reopening is judged (and logged) over as many calls
                .permittedNumberOfCallsInHalfOpenState(judged)
                .failureRateThreshold(settings.circuitBreaker().failureRate())
                .waitDurationInOpenState(settings.circuitBreaker().openFor())
                .recordResult(outcome -> outcome instanceof ExchangeOutcome o && o.platformFailure())
                .build());
        this.judgedCalls = new JudgedCalls(judged);
        this.circuitBreaker.getEventPublisher().onStateTransition(event -> circuitMoved(event.getStateTransition().getToState()));
        this.pacer = pacer;
        this.platformIds = ThreadLocal.withInitial(() -> PlatformIds.of(settings));
        this.pendingWait = settings.pendingWait();
        this.largestAcceptedBatch = new AtomicInteger(settings.batchSize());
        this.concurrencyLimit = concurrencyLimit;
    }

    @Override
    public Optional<Limit> concurrencyLimit() {
        return Optional.of(concurrencyLimit);
    }

    @Override
    public CompletableFuture<List<BindingAnswer>> check(LocalDate asOf, List<MobileNumber> numbers) {
        return checkIds(asOf, wireIds(numbers));
    }

    /**
     * One poll of a ticket an earlier night got, paced and judged by the circuit breaker like any request, not retried:
     * a ticket that cannot be read tonight stays open (PENDING) for the next night, and once the platform keeps failing
     * its remaining polls are not sent (an open circuit) rather than each waiting out its time-out. The pacer slot is
     * taken when this is called, so a caller calls it when the poll is to be sent, not ahead of time.
     */
    @Override
    public CompletableFuture<List<BindingAnswer>> collect(String ticket, List<MobileNumber> numbers) {
        List<byte[]> ids = wireIds(numbers);
        return judged(() -> exchange.poll(ticket, ids)).thenApply(outcome -> switch (outcome.kind()) {
            case ANSWERED -> outcome.answers().stream().map(answer -> answer.withTicket(ticket)).toList();
            case REFUSED -> ticketUnknown(outcome) ? ticketUnknown(ticket, ids.size(), outcome.correlator())
                    : Collections.nCopies(ids.size(), BindingAnswer.pending(ticket, outcome.correlator()));
            default -> Collections.nCopies(ids.size(), BindingAnswer.pending(ticket, outcome.correlator()));
        }).exceptionally(failure -> Collections.nCopies(ids.size(), BindingAnswer.pending(ticket, null)));
    }

    private List<byte[]> wireIds(List<MobileNumber> numbers) {
        List<byte[]> ids = new ArrayList<>(numbers.size());
        PlatformIds wireIds = platformIds.get();
        for (MobileNumber number : numbers) {
            ids.add(wireIds.ascii(number));
        }
        return ids;
    }

    private CompletableFuture<List<BindingAnswer>> checkIds(LocalDate asOf, List<byte[]> ids) {
        int largest = largestAcceptedBatch.get();
        return ids.size() > largest ? inPieces(asOf, ids, largest) : checkBatch(asOf, ids);
    }

    /** One batch, as it is: retried, and split in two if the platform finds it too large. */
    private CompletableFuture<List<BindingAnswer>> checkBatch(LocalDate asOf, List<byte[]> ids) {
        if (downReason != null) {
            return CompletableFuture.completedFuture(noAnswer(ids.size(), BindingAnswer.PLATFORM_DOWN + downReason, null));
        }
        return retry.<ExchangeOutcome>executeCompletionStage(scheduler, () -> attempt(asOf, ids))
                .toCompletableFuture()
                .thenCompose(outcome -> conclude(asOf, ids, outcome))
                .exceptionally(failure -> unexpected(ids.size(), failure));
    }

    /** One attempt: refused at once while the circuit is open, otherwise sent in the pacer's next slot. */
    private CompletableFuture<ExchangeOutcome> attempt(LocalDate asOf, List<byte[]> ids) {
        return judged(() -> exchange.post(asOf, ids));
    }

    /**
     * A request the circuit breaker judges: refused at once ({@code CIRCUIT_OPEN}) while the circuit is open, otherwise
     * sent in the pacer's next slot; its outcome, or its failure, is then counted by the breaker. When no slot can be
     * had (the shared limiter's database is unreachable) it is not sent ({@value BindingAnswer#RATE_SLOT}), and the
     * breaker does not hear of it: the platform did nothing wrong.
     */
    private CompletableFuture<ExchangeOutcome> judged(Supplier<CompletableFuture<ExchangeOutcome>> request) {
        if (!circuitBreaker.tryAcquirePermission()) {
            return CompletableFuture.completedFuture(ExchangeOutcome.of(ExchangeOutcome.Kind.REFUSED, BindingAnswer.CIRCUIT_OPEN, null));
        }
        // complete already when the slot is free now: the request then goes out on this thread, unpaced ones too
        CompletableFuture<Void> slot = pacer == null ? CompletableFuture.completedFuture(null) : pacer.nextSlot();
        long started = System.nanoTime();
        return slot.handle((ready, noSlot) -> noSlot).thenCompose(noSlot -> {
            if (noSlot != null) {
                circuitBreaker.releasePermission();
                return CompletableFuture.completedFuture(noSlot(noSlot));
            }
            return send(request).whenComplete((outcome, failure) -> {
                // recorded before the breaker hears of it: an opening it causes is logged with it
                long took = System.nanoTime() - started;
                if (failure != null) {
                    judgedCalls.record(ADAPTER_ERROR);
                    circuitBreaker.onError(took, TimeUnit.NANOSECONDS, failure);
                } else {
                    judgedCalls.record(outcome != null && outcome.platformFailure() ? outcome.failureKind() : null);
                    circuitBreaker.onResult(took, TimeUnit.NANOSECONDS, outcome);
                }
            });
        });
    }

    /** A request not sent for want of a rate slot: no answer, not retried (the reservation already failed closed). */
    private static ExchangeOutcome noSlot(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return new ExchangeOutcome(ExchangeOutcome.Kind.REFUSED, null, BindingAnswer.RATE_SLOT,
                cause instanceof Pacer.SlotUnavailable ? cause.getMessage() : cause.toString(), null, null, null, null);
    }

    /** Called once per change of state, on the thread whose call caused it. */
    private void circuitMoved(CircuitBreaker.State to) {
        switch (to) {
            case OPEN -> {
                meters.circuitOpened();
                log.warn("{}: circuit opened: {}", platformId, judgedCalls.describe());
            }
            case HALF_OPEN -> log.info("{}: circuit half-open: {} trial requests", platformId,
                    circuitBreaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState());
            case CLOSED -> log.info("{}: circuit closed: the platform answers again", platformId);
        }
        judgedCalls.clear();
    }

    /** The exchange's answer; should it throw, a failed future, which the circuit breaker counts like any failure. */
    private static CompletableFuture<ExchangeOutcome> send(Supplier<CompletableFuture<ExchangeOutcome>> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<List<BindingAnswer>> conclude(LocalDate asOf, List<byte[]> ids, ExchangeOutcome outcome) {
        switch (outcome.kind()) {
            case ANSWERED:
                return CompletableFuture.completedFuture(outcome.answers());
            case ACCEPTED:
                return awaitTicket(outcome.ticket(), outcome.correlator(), ids, System.nanoTime() + pendingWait.toNanos());
            case TOO_LARGE:
                if (ids.size() == 1) {
                    return CompletableFuture.completedFuture(noAnswer(1, outcome.reason(), outcome.correlator()));
                }
                int half = (ids.size() + 1) / 2;
                largestAcceptedBatch.accumulateAndGet(half, Math::min);
                log.info("{}: a batch of {} ids is too large (413); sending at most {} from now on", platformId, ids.size(), half);
                return inPieces(asOf, ids, half);
            case CREDENTIALS_REFUSED:
                if (downReason == null) {
                    downReason = outcome.reason();
                    log.error("{}: credentials refused ({}); the platform is down for this run and its numbers stay undetermined",
                            platformId, outcome.reason());
                }
                return CompletableFuture.completedFuture(noAnswer(ids.size(), BindingAnswer.PLATFORM_DOWN + outcome.reason(), outcome.correlator()));
            default:
                return CompletableFuture.completedFuture(noAnswer(ids.size(), outcome.reason(), outcome.detail(), outcome.correlator()));
        }
    }

    /** @param correlator the 202's {@code x-correlator}, which PENDING answers carry with the ticket */
    private CompletableFuture<List<BindingAnswer>> awaitTicket(String ticket, String correlator, List<byte[]> ids, long deadline) {
        if (System.nanoTime() >= deadline) {
            return CompletableFuture.completedFuture(Collections.nCopies(ids.size(), BindingAnswer.pending(ticket, correlator)));
        }
        long delay = Math.min(POLL_INTERVAL.toNanos(), Math.max(0, deadline - System.nanoTime()));
        return Pacer.after(scheduler, delay)
                .thenCompose(polled -> exchange.poll(ticket, ids))
                .thenCompose(outcome -> outcome.kind() == ExchangeOutcome.Kind.ANSWERED
                        ? CompletableFuture.completedFuture(outcome.answers().stream().map(answer -> answer.withTicket(ticket)).toList())
                        : ticketUnknown(outcome) ? CompletableFuture.completedFuture(ticketUnknown(ticket, ids.size(), outcome.correlator()))
                        : awaitTicket(ticket, correlator, ids, deadline));
    }

    /** 404 or 410 to a poll: the platform does not know the ticket (any more); its numbers must be asked afresh. */
    private static boolean ticketUnknown(ExchangeOutcome polled) {
        return polled.kind() == ExchangeOutcome.Kind.REFUSED && (polled.reason().equals("HTTP_404") || polled.reason().equals("HTTP_410"));
    }

    private static List<BindingAnswer> ticketUnknown(String ticket, int count, String correlator) {
        return Collections.nCopies(count, BindingAnswer.noAnswer(BindingAnswer.TICKET_UNKNOWN, correlator).withTicket(ticket));
    }

    /**
     * Pieces of {@code pieceSize} each, sent as they are even if the accepted size shrinks meanwhile
     * (the halves of a 413 go out as halves): each piece learns the limit from its own answer.
     */
    private CompletableFuture<List<BindingAnswer>> inPieces(LocalDate asOf, List<byte[]> ids, int pieceSize) {
        List<CompletableFuture<List<BindingAnswer>>> pieces = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += pieceSize) {
            pieces.add(checkBatch(asOf, ids.subList(from, Math.min(ids.size(), from + pieceSize))));
        }
        return CompletableFuture.allOf(pieces.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<BindingAnswer> answers = new ArrayList<>(ids.size());
            pieces.forEach(piece -> answers.addAll(piece.join()));
            return answers;
        });
    }

    /** A failure in this code rather than an answer of the platform: no answer, and the first one's stack trace. */
    private List<BindingAnswer> unexpected(int count, Throwable failure) {
        if (unexpectedLogged.compareAndSet(false, true)) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            log.error("{}: unexpected failure while asking the platform; its ids get no answer ({}); only the first such "
                    + "failure is logged in full", platformId, ADAPTER_ERROR, cause);
        }
        return noAnswer(count, ADAPTER_ERROR, null);
    }

    private static List<BindingAnswer> noAnswer(int count, String reason, String correlator) {
        return noAnswer(count, reason, null, correlator);
    }

    private static List<BindingAnswer> noAnswer(int count, String reason, String detail, String correlator) {
        return Collections.nCopies(count, BindingAnswer.noAnswerWithDetail(reason, detail, correlator));
    }
}
