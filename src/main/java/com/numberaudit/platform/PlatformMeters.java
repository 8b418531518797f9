package com.numberaudit.platform;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

/**
 * One platform's request meters, tagged {@code platform=<id>}: requests sent, retries, 429s and circuit
 * openings (counters), and the latency of the requests it answered (a timer publishing p50 and p99). Recorded once
 * per request, never per number.
 * <p>
 * The counters read this process's counts plus what earlier processes of the same run committed
 * ({@link #carryOver}): a night killed and resumed still shows the circuit openings of its first hours. Latency
 * percentiles cannot be added up that way; they describe the requests of this process.
 */
public final class PlatformMeters {

    static final String REQUESTS = "number.audit.platform.requests";
    static final String RETRIES = "number.audit.platform.retries";
    static final String HTTP_429 = "number.audit.platform.http429";
    static final String CIRCUIT_OPENINGS = "number.audit.platform.circuit.openings";
    static final String LATENCY = "number.audit.platform.latency";
    static final String RATE_SLOT = "number.audit.platform.rate.slot";
    static final String RATE_SLOT_SLOW = "number.audit.platform.rate.slot.slow";
    static final String RATE_SLOT_LATE = "number.audit.platform.rate.slot.late";
    /**
     * A reservation of a shared rate slot slower than this is counted: the margin of the pacing holds for a delay of up to
     * 10.1 ms between a slot's start and its request's sending, and a reservation this slow says the database is slow too.
     */
    static final long SLOW_RATE_SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final double P50 = 0.5;
    private static final double P99 = 0.99;

    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder http429 = new LongAdder();
    private final LongAdder circuitOpenings = new LongAdder();
    /** The lowest its concurrency limit was lowered to ({@link AdaptiveConcurrency}); 0 while it never was. */
    private final AtomicInteger lowestConcurrencyLimit = new AtomicInteger();
    private volatile RequestCounts earlier = RequestCounts.NONE;
    private final Timer latency;
    private final MeterRegistry registry;
    private final String platformId;
    /** Registered with the first shared rate slot: a run on one node has neither (nor their lines in metrics.prom). */
    private volatile SlotMeters slotMeters;

    private record SlotMeters(Timer reservations, Counter slow, Counter late) {
    }

    PlatformMeters(MeterRegistry registry, String platformId) {
        this.registry = registry;
        this.platformId = platformId;
        counter(registry, platformId, REQUESTS, "requests sent (POSTs, their retries and ticket polls)", counts -> counts.requests());
        counter(registry, platformId, RETRIES, "attempts repeated after a 5xx, time-out, reset, broken body or 429",
                counts -> counts.retries());
        counter(registry, platformId, HTTP_429, "requests answered 429 (too many requests)", counts -> counts.http429());
        counter(registry, platformId, CIRCUIT_OPENINGS, "times the platform's circuit opened", counts -> counts.circuitOpenings());
        this.latency = Timer.builder(LATENCY)
                .description("time from sending a request to the platform's whole answer, of the requests it answered")
                .tag("platform", platformId)
                .publishPercentiles(P50, P99)
                .percentilePrecision(2)
                // the whole run's percentiles, not those of Micrometer's default two-minute window
                .distributionStatisticExpiry(Duration.ofDays(366))
                .distributionStatisticBufferLength(1)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String platformId, String name, String description,
                         ToDoubleFunction<RequestCounts> count) {
        FunctionCounter.builder(name, this, meters -> count.applyAsDouble(meters.counts()))
                .description(description)
                .tag("platform", platformId)
                .register(registry);
    }

    void requestSent() {
        requests.increment();
    }

    /** @param nanos from sending the request to the last byte of its answer */
    void answered(long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One shared rate slot reserved ({@link SharedRequestPacer}), in this long from asking to the answer (the wait in
     * the reservation thread's queue included).
     */
    void rateSlotReserved(long nanos) {
        SlotMeters meters = slotMeters();
        meters.reservations().record(nanos, TimeUnit.NANOSECONDS);
        if (nanos > SLOW_RATE_SLOT_NANOS) {
            meters.slow().increment();
        }
    }

    /** A shared rate slot left unused because its request could not have been sent within 5 ms of its start. */
    void rateSlotLate() {
        slotMeters().late().increment();
    }

    private SlotMeters slotMeters() {
        SlotMeters meters = slotMeters;
        if (meters == null) {
            synchronized (this) {
                meters = slotMeters;
                if (meters == null) {
                    meters = new SlotMeters(Timer.builder(RATE_SLOT)
                            .description("time to reserve a slot of the rate limit shared by the workers, in the job repository")
                            .tag("platform", platformId)
                            .publishPercentiles(P50, P99)
                            .percentilePrecision(2)
                            .distributionStatisticExpiry(Duration.ofDays(366))
                            .distributionStatisticBufferLength(1)
                            .register(registry),
                            Counter.builder(RATE_SLOT_SLOW)
                                    .description("reservations of a shared rate slot that took longer than 5 ms")
                                    .tag("platform", platformId)
                                    .register(registry),
                            Counter.builder(RATE_SLOT_LATE)
                                    .description("shared rate slots left unused: their request could not be sent within 5 ms of "
                                            + "their start")
                                    .tag("platform", platformId)
                                    .register(registry));
                    slotMeters = meters;
                }
            }
        }
        return meters;
    }

    /** Shared rate slots this process reserved for the platform, and how many of them took longer than 5 ms. */
    public long rateSlots() {
        SlotMeters meters = slotMeters;
        return meters == null ? 0 : meters.reservations().count();
    }

    public long lateRateSlots() {
        SlotMeters meters = slotMeters;
        return meters == null ? 0 : (long) meters.late().count();
    }

    public long slowRateSlots() {
        SlotMeters meters = slotMeters;
        return meters == null ? 0 : (long) meters.slow().count();
    }

    /** Median time to reserve a shared rate slot, in ms; null when none was reserved. */
    public Double rateSlotMillisP50() {
        SlotMeters meters = slotMeters;
        return meters == null || meters.reservations().count() == 0 ? null : percentileMillis(meters.reservations(), P50);
    }

    /** 99th percentile, as {@link #rateSlotMillisP50()}. */
    public Double rateSlotMillisP99() {
        SlotMeters meters = slotMeters;
        return meters == null || meters.reservations().count() == 0 ? null : percentileMillis(meters.reservations(), P99);
    }

    void concurrencyLimitLowered(int to) {
        lowestConcurrencyLimit.accumulateAndGet(to, (lowest, lowered) -> lowest == 0 ? lowered : Math.min(lowest, lowered));
    }

    /** The lowest the platform's concurrency limit was lowered to in this process; null when it never was. */
    public Integer lowestConcurrencyLimit() {
        int lowest = lowestConcurrencyLimit.get();
        return lowest == 0 ? null : lowest;
    }

    void throttled() {
        http429.increment();
    }

    void retried() {
        retries.increment();
    }

    void circuitOpened() {
        circuitOpenings.increment();
    }

    /** The run's counts: this process's and those {@link #carryOver carried over} from its earlier processes. */
    public RequestCounts counts() {
        return earlier.plus(thisProcess());
    }

    /** Adds the counts earlier processes of this run committed (read back on a restart) to this process's. */
    public void carryOver(RequestCounts committedEarlier) {
        earlier = committedEarlier;
    }

    /**
     * Makes the counters read {@code committed}, what the run's audit step committed last: the same as now after an
     * audit step this process ran; the earlier processes' counts when it ran in them (a restart after it completed).
     */
    public void settle(RequestCounts committed) {
        earlier = committed.minus(thisProcess());
    }

    /** The counts of the requests this process sent (none carried over). */
    public RequestCounts thisProcess() {
        return new RequestCounts(requests.sum(), retries.sum(), http429.sum(), circuitOpenings.sum());
    }

    /** Median latency of the requests this process sent that the platform answered, in ms; null when none was. */
    public Double latencyMillisP50() {
        return latencyMillis(P50);
    }

    /** 99th percentile latency, as {@link #latencyMillisP50()}. */
    public Double latencyMillisP99() {
        return latencyMillis(P99);
    }

    private Double latencyMillis(double percentile) {
        if (latency.count() == 0) {
            return null;
        }
        return percentileMillis(latency, percentile);
    }

    private static double percentileMillis(Timer timer, double percentile) {
        for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
            if (value.percentile() == percentile) {
                return value.value(TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("no percentile " + percentile + " published");
    }
}
