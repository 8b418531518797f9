package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.netflix.concurrency.limits.limit.FixedLimit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.numberaudit.TestBinding;
import com.numberaudit.number.MobileNumber;

/**
 * The adapter's policies (retry, circuit breaker, splitting) driven by a {@link PlatformExchange}
 * that answers on cue, at once: orders and outcomes a loopback server gives only by chance.
 */
@ExtendWith(OutputCaptureExtension.class)
class BindingCheckApiAdapterPolicyTest {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 28);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMeters meters = new RequestMeters(registry);

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void halvesOfATooLargeBatchGoOutAsHalvesEvenWhenTheFirstHalfIsRefusedBeforeTheSecondIsSent() throws Exception {
        // every answer comes at once, so the first half's 413 has shrunk the accepted size before the second half goes
        ScriptedExchange exchange = new ScriptedExchange(ids -> ids.size() > 4
                ? ExchangeOutcome.of(ExchangeOutcome.Kind.TOO_LARGE, "HTTP_413", null) : notBound(ids));
        BindingCheckAdapter adapter = adapter(exchange, "batch-size", "10");

        assertThat(adapter.check(AS_OF, numbers(10)).get(5, TimeUnit.SECONDS)).hasSize(10).containsOnly(BindingAnswer.NOT_BOUND);
        assertThat(exchange.asked).containsExactly(10, 5, 3, 2, 5, 3, 2);

        adapter.check(AS_OF, numbers(10)).get(5, TimeUnit.SECONDS);
        assertThat(exchange.asked.subList(7, exchange.asked.size())).as("the smaller size is kept").containsExactly(3, 3, 3, 1);
    }

    @Test
    void exchangeThatFailsExceptionallyCountsAsAFailureAndOpensTheCircuit() throws Exception {
        ScriptedExchange exchange = new ScriptedExchange(ids -> {
            throw new IllegalStateException("a bug in the exchange");
        });
        BindingCheckAdapter adapter = adapter(exchange, "retry.max-attempts", "1", "circuit-breaker.minimum-calls", "2");

        assertThat(adapter.check(AS_OF, numbers(3)).get(5, TimeUnit.SECONDS)).containsOnly(BindingAnswer.noAnswer("ADAPTER_ERROR"));
        assertThat(adapter.check(AS_OF, numbers(3)).get(5, TimeUnit.SECONDS)).containsOnly(BindingAnswer.noAnswer("ADAPTER_ERROR"));
        assertThat(adapter.check(AS_OF, numbers(3)).get(5, TimeUnit.SECONDS)).containsOnly(BindingAnswer.noAnswer("CIRCUIT_OPEN"));
        assertThat(exchange.asked).hasSize(2);
    }

    @Test
    void eachOpeningOfTheCircuitIsLoggedOnceWithTheFailuresOfTheJudgedCallsAndEachRecoveryStepOnce(CapturedOutput output)
            throws Exception {
        ExchangeOutcome timeout = ExchangeOutcome.retryable("TIMEOUT", null, null);
        ExchangeOutcome unavailable = ExchangeOutcome.retryable("HTTP_503", null, null);
        List<ExchangeOutcome> firstTen = List.of(timeout, timeout, notBound(1), timeout, unavailable, notBound(1), timeout, notBound(1),
                timeout, notBound(1));
        AtomicInteger calls = new AtomicInteger();
        ScriptedExchange exchange = new ScriptedExchange(ids -> {
            int call = calls.getAndIncrement();
            return call < firstTen.size() ? firstTen.get(call) : notBound(ids);
        });
        BindingCheckAdapter adapter = adapter(exchange, "retry.max-attempts", "1", "circuit-breaker.open-for", "100ms");

        for (int i = 0; i < 10; i++) {
            adapter.check(AS_OF, numbers(1)).get(5, TimeUnit.SECONDS);
        }
        assertThat(adapter.check(AS_OF, numbers(1)).get(5, TimeUnit.SECONDS)).containsOnly(BindingAnswer.noAnswer("CIRCUIT_OPEN"));
        Thread.sleep(150);
        for (int i = 0; i < 10; i++) {
            assertThat(adapter.check(AS_OF, numbers(1)).get(5, TimeUnit.SECONDS)).containsOnly(BindingAnswer.NOT_BOUND);
        }

        assertThat(lines(output, "p: circuit")).containsExactly(
                "p: circuit opened: TIMEOUT ×5, HTTP_503 ×1 of 10",
                "p: circuit half-open: 10 trial requests",
                "p: circuit closed: the platform answers again");
    }

    @Test
    void requestsRetries429sAndCircuitOpeningsAreCountedOncePerRequestAndOnlyAnsweredRequestsAreTimed() throws Exception {
        ExchangeOutcome throttled = ExchangeOutcome.retryable("HTTP_429", Duration.ZERO, null);
        ExchangeOutcome timeout = ExchangeOutcome.retryable("TIMEOUT", null, null);
        ExchangeOutcome unavailable = ExchangeOutcome.retryable("HTTP_503", null, null);
        // batch 1: 429, then answered; batch 2: time-out, 503, then answered; batch 3: a time-out opens the circuit (3 failures
        // of 6 calls), so its retry is refused at once, as is batch 4
        List<ExchangeOutcome> script = List.of(throttled, notBound(2), timeout, unavailable, notBound(2), timeout);
        AtomicInteger calls = new AtomicInteger();
        ScriptedExchange exchange = new ScriptedExchange(ids -> script.get(calls.getAndIncrement()));
        BindingCheckAdapter adapter = adapter(exchange, "retry.max-attempts", "3", "circuit-breaker.minimum-calls", "6");

        assertThat(adapter.check(AS_OF, numbers(2)).get(5, TimeUnit.SECONDS)).containsOnly(BindingAnswer.NOT_BOUND);
        assertThat(adapter.check(AS_OF, numbers(2)).get(5, TimeUnit.SECONDS)).containsOnly(BindingAnswer.NOT_BOUND);
        assertThat(adapter.check(AS_OF, numbers(2)).get(5, TimeUnit.SECONDS)).containsOnly(BindingAnswer.noAnswer("CIRCUIT_OPEN"));
        assertThat(adapter.check(AS_OF, numbers(2)).get(5, TimeUnit.SECONDS)).containsOnly(BindingAnswer.noAnswer("CIRCUIT_OPEN"));

        assertThat(exchange.asked).hasSize(6);
        assertThat(meters.of("p").counts()).isEqualTo(new RequestCounts(6, 4, 1, 1));
        assertThat(registry.get(PlatformMeters.LATENCY).tag("platform", "p").timer().count())
                .as("the 429, the 503 and the two answers were timed; the time-outs were not").isEqualTo(4);
        assertThat(registry.get(PlatformMeters.REQUESTS).tag("platform", "p").functionCounter().count()).isEqualTo(6);
        assertThat(registry.get(PlatformMeters.CIRCUIT_OPENINGS).tag("platform", "p").functionCounter().count()).isEqualTo(1);
        assertThat(meters.of("p").latencyMillisP50()).isNotNull();
    }

    @Test
    void countsCarriedOverFromEarlierExecutionsAddToThisProcesssAndSettleOnWhatWasCommitted() {
        PlatformMeters platform = meters.of("q");
        platform.requestSent();
        platform.retried();
        platform.carryOver(new RequestCounts(10, 2, 1, 1));
        assertThat(platform.counts()).isEqualTo(new RequestCounts(11, 3, 1, 1));
        assertThat(registry.get(PlatformMeters.REQUESTS).tag("platform", "q").functionCounter().count()).isEqualTo(11);

        platform.settle(new RequestCounts(11, 3, 1, 1));
        assertThat(platform.counts()).as("settled on what this process committed: unchanged").isEqualTo(new RequestCounts(11, 3, 1, 1));
        PlatformMeters idle = meters.of("r");
        idle.settle(new RequestCounts(5, 1, 0, 2));
        assertThat(idle.counts()).as("an audit step an earlier process completed").isEqualTo(new RequestCounts(5, 1, 0, 2));
        assertThat(idle.latencyMillisP50()).as("no request answered in this process").isNull();
    }

    /** The log lines holding {@code part}, from it to the end of the line. */
    private static List<String> lines(CapturedOutput output, String part) {
        return Pattern.compile(Pattern.quote(part) + ".*").matcher(output.getOut()).results().map(match -> match.group()).toList();
    }

    private BindingCheckAdapter adapter(PlatformExchange exchange, String... settings) {
        List<String> keysAndValues = new ArrayList<>(List.of("url", "http://platform.invalid/", "retry.initial-backoff", "1ms"));
        keysAndValues.addAll(List.of(settings));
        PlatformSettings bound = TestBinding.bind(PlatformSettings.class, keysAndValues.toArray(String[]::new));
        return new BindingCheckApiAdapter(new Platform("p", bound, bound.url()), exchange, scheduler, meters.of("p"),
                bound.rateLimit() == null ? null : new RequestPacer(bound.rateLimit(), scheduler), FixedLimit.of(bound.maxConcurrency()));
    }

    private static List<MobileNumber> numbers(int count) {
        List<MobileNumber> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(new MobileNumber(13800000000L + i));
        }
        return numbers;
    }

    private static ExchangeOutcome notBound(List<byte[]> ids) {
        return notBound(ids.size());
    }

    private static ExchangeOutcome notBound(int count) {
        return ExchangeOutcome.answered(Collections.nCopies(count, BindingAnswer.NOT_BOUND), null);
    }

    /**
     * Answers each POST at once with what {@code respond} makes of its ids (an exception thrown there
     * fails the returned future), and keeps the size of every batch asked.
     */
    private static final class ScriptedExchange implements PlatformExchange {

        final List<Integer> asked = Collections.synchronizedList(new ArrayList<>());
        private final Function<List<byte[]>, ExchangeOutcome> respond;

        ScriptedExchange(Function<List<byte[]>, ExchangeOutcome> respond) {
            this.respond = respond;
        }

        @Override
        public CompletableFuture<ExchangeOutcome> post(LocalDate asOf, List<byte[]> ids) {
            asked.add(ids.size());
            try {
                return CompletableFuture.completedFuture(respond.apply(ids));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public CompletableFuture<ExchangeOutcome> poll(String ticket, List<byte[]> ids) {
            throw new UnsupportedOperationException("no 202 in these tests");
        }
    }
}
