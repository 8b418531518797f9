package com.numberaudit.platform;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many batches may be in flight to one platform now, learnt from its answers: Netflix concurrency-limits'
 * {@link AIMDLimit}, fed by every HTTP exchange with the platform. It starts at 1 (a platform that cannot take
 * {@code max-concurrency} at once is not sent a first wave that times out and opens its circuit) and rises by one
 * with each answer in time while the exchanges in flight use at least half of it, up to {@code max-concurrency}; each
 * answer slower than {@link #SLOW_SHARE} of the platform's {@code timeout}, each time-out, 503, 504 or failed
 * connection takes a tenth off it (at least one), down to 1 (a burst of them brings it down to 1, to rise again at once). So the job
 * sends less when answers slow down, before they time out. A 429 is not among them: it is about the requests per
 * second, which the pacer and {@code Retry-After} look after; counted as a drop, it cut a rate-limited platform to one
 * request at a time, below its rate whenever an answer took longer than the requests' spacing (bench p: U 0.83
 * instead of 0.92–0.94).
 * <p>
 * An exchange's time is the platform's, as its {@code timeout} counts it: from the request's first byte to the
 * answer's last, never the pacer's wait or a wait for a connection on this machine. Other answers (400, 401, 413, 429,
 * 500, an unreadable body) say nothing about load and are left out. With {@code adaptive-concurrency: false} the limit is
 * {@code max-concurrency}, always.
 */
final class AdaptiveConcurrency {

    /**
     * An answer slower than this share of the platform's {@code timeout} counts as a drop. Rising by one with each
     * answer, the limit can double in one answer's time before the first slow answer comes back: 40 % leaves room for
     * that below the time-out (AdaptiveConcurrencyTest's platform peaks at three quarters of it).
     */
    static final double SLOW_SHARE = 0.4;
    /** Answers that say the platform is overloaded; a time-out or a failed connection says so too. */
    private static final Set<String> OVERLOADED = Set.of("HTTP_503", "HTTP_504");
    private static final Logger log = LoggerFactory.getLogger(AdaptiveConcurrency.class);

    private final String platformId;
    private final Duration timeout;
    private final Limit limit;
    private final PlatformMeters meters;
    private final RateLimiter platformLines;
    private final RateLimiter allLines;
    private final long slowNanos;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param logLines shared by every platform: how many lines about lowered limits the log may take, so that 200
     *                 platforms slowing down at once do not flood it (each platform's lowest is in summary.json)
     */
    AdaptiveConcurrency(Platform platform, PlatformMeters meters, RateLimiter logLines) {
        PlatformSettings settings = platform.settings();
        this.platformId = platform.id();
        this.timeout = settings.timeout();
        this.meters = meters;
        this.allLines = logLines;
        this.platformLines = RateLimiter.of(platformId + "-concurrency-lines", RateLimiterConfig.custom()
                .limitForPeriod(1).limitRefreshPeriod(Duration.ofMinutes(1)).timeoutDuration(Duration.ZERO).build());
        this.slowNanos = Math.max(1, Math.round(timeout.toNanos() * SLOW_SHARE));
        this.limit = !settings.adaptiveConcurrency() ? FixedLimit.of(settings.maxConcurrency()) : AIMDLimit.newBuilder()
                .minLimit(1)
                .initialLimit(1)
                .maxLimit(settings.maxConcurrency())
                .timeout(slowNanos, TimeUnit.NANOSECONDS)
                .build();
    }

    /** Lines about lowered limits, for all platforms together: 10 a minute. */
    static RateLimiter logLines() {
        return RateLimiter.of("concurrency-lines", RateLimiterConfig.custom()
                .limitForPeriod(10).limitRefreshPeriod(Duration.ofMinutes(1)).timeoutDuration(Duration.ZERO).build());
    }

    /** The batches the platform's channel may have in flight now. */
    Limit limit() {
        return limit;
    }

    /** The request's first byte is about to be written: the platform's time starts. */
    Exchange begun() {
        return new Exchange(System.nanoTime(), inFlight.incrementAndGet());
    }

    /**
     * @param startNanos when the request began ({@link System#nanoTime()})
     * @param inFlight   the exchanges in flight with the platform then, this one included
     */
    record Exchange(long startNanos, int inFlight) {
    }

    /**
     * The exchange is over: its outcome is a sample of the platform's load, or says nothing about it.
     *
     * @param begun null when the request never began (no connection, or it waited out its time on this machine)
     */
    void ended(Exchange begun, ExchangeOutcome outcome) {
        long now = System.nanoTime();
        if (begun != null) {
            inFlight.decrementAndGet();
        }
        String reason = outcome.reason() == null ? "" : outcome.reason();
        boolean overloaded = reason.equals(ExchangeOutcome.CONNECTION_FAILED)
                || begun != null && (reason.equals(ExchangeOutcome.TIMEOUT) || OVERLOADED.contains(reason));
        boolean answered = begun != null && (outcome.kind() == ExchangeOutcome.Kind.ANSWERED
                || outcome.kind() == ExchangeOutcome.Kind.ACCEPTED);
        if (!overloaded && !answered) {
            return;
        }
        Exchange sample = begun != null ? begun : new Exchange(now, inFlight.get());
        long took = now - sample.startNanos();
        int before = limit.getLimit();
        limit.onSample(sample.startNanos(), took, sample.inFlight(), overloaded);
        int after = limit.getLimit();
        // at 1 already, a slow answer lowers nothing, yet the platform is asked one request at a time because of it:
        // said as a lowering to 1 (a platform slower than that when idle would otherwise be slow without a word)
        boolean heldAtOne = after == 1 && before == 1 && limit instanceof AIMDLimit && (overloaded || took > slowNanos);
        if (after < before || heldAtOne) {
            meters.concurrencyLimitLowered(after);
            if (platformLines.acquirePermission() && allLines.acquirePermission()) {
                log.warn("{}: concurrency limit {}: {} (time-out {}); logged at most once a minute", platformId,
                        after < before ? before + " -> " + after : "stays at " + after,
                        overloaded ? outcome.reason() : "an answer took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms",
                        shown(timeout));
            }
        }
    }

    /** {@code 800ms}, {@code 10s}: as the setting is usually written. */
    private static String shown(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
