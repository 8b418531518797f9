package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.netflix.concurrency.limits.Limit;
import com.numberaudit.TestBinding;
import com.numberaudit.demo.AnswerLayout;
import com.numberaudit.demo.BindingCheckSimulator;
import com.numberaudit.demo.DemoBindings;
import com.numberaudit.demo.SimulatedFaults;
import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingCheckAdapter;
import com.numberaudit.platform.BindingCheckApiAdapterFactory;
import com.numberaudit.platform.NoAnswerLog;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformSettings;
import com.numberaudit.platform.RequestMeters;

/** A platform's channel against the simulator over loopback HTTP: the requests in flight follow its answer times. */
@ExtendWith(OutputCaptureExtension.class)
class AdaptiveConcurrencyTest {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 28);

    @Test
    void aPlatformWhoseAnswersSlowDownWithItsLoadIsSentLessAndAnswersEveryNumber(CapturedOutput output) throws Exception {
        // 50 ms per request the platform holds: 16 at once take 800 ms each, beyond the 600 ms time-out
        SimulatedFaults loadBound = faults(Duration.ZERO, Duration.ofMillis(50));
        try (BindingCheckSimulator simulator = BindingCheckSimulator.start(0, DemoBindings.empty(), id -> loadBound);
             BindingCheckApiAdapterFactory factory = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry())) {
            Platform platform = platform(simulator, "max-concurrency", "16", "timeout", "600ms");
            PlatformChannel channel = channel(platform, factory.create(platform));

            List<BindingCheck> checks = submit(channel, platform, 0, 600);

            assertThat(outcomes(checks)).isEqualTo(Map.of("CLEAN", 600L));
            List<Integer> held = simulator.heldAtArrivals("p");
            List<Integer> settled = held.subList(held.size() / 2, held.size());
            assertThat(median(settled)).as("requests the platform held as each of the last half arrived: %s", settled)
                    .isLessThanOrEqualTo(8);
            assertThat(output.getOut()).contains("p: concurrency limit ").contains(" (time-out 600ms)");
        }
    }

    @Test
    void theLimitStaysBetweenOneAndMaxConcurrencyAndRisesAgainWhenAnswersAreFastAgain() throws Exception {
        AtomicReference<SimulatedFaults> now = new AtomicReference<>(faults(Duration.ZERO, Duration.ZERO));
        RequestMeters meters = new RequestMeters(new SimpleMeterRegistry());
        try (BindingCheckSimulator simulator = BindingCheckSimulator.start(0, DemoBindings.empty(), id -> now.get());
             BindingCheckApiAdapterFactory factory = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry(), meters)) {
            Platform platform = platform(simulator, "max-concurrency", "4", "timeout", "600ms");
            BindingCheckAdapter adapter = factory.create(platform);
            Limit limit = adapter.concurrencyLimit().orElseThrow();
            List<Integer> limits = new CopyOnWriteArrayList<>(List.of(limit.getLimit()));
            limit.notifyOnChange(limits::add);
            PlatformChannel channel = channel(platform, adapter);

            assertThat(outcomes(submit(channel, platform, 0, 200))).isEqualTo(Map.of("CLEAN", 200L));
            int fastEnd = limits.size();
            // every answer takes 400 ms: beyond 40 % of the time-out, yet in time
            now.set(faults(Duration.ofMillis(400), Duration.ZERO));
            assertThat(outcomes(submit(channel, platform, 200, 40))).isEqualTo(Map.of("CLEAN", 40L));
            int slowEnd = limits.size();
            now.set(faults(Duration.ZERO, Duration.ZERO));
            assertThat(outcomes(submit(channel, platform, 240, 200))).isEqualTo(Map.of("CLEAN", 200L));

            // what the limit reached in each phase, not where it ended: one answer slowed by a busy machine may take one off
            assertThat(limits).as("every limit it took").allSatisfy(value -> assertThat(value).isBetween(1, 4));
            assertThat(limits.get(0)).as("a slow start").isEqualTo(1);
            assertThat(limits.subList(0, fastEnd)).as("fast answers").contains(4);
            assertThat(limits.subList(fastEnd, slowEnd)).as("slow answers").contains(1);
            assertThat(limits.subList(slowEnd, limits.size())).as("fast again: recovered").contains(4);
            assertThat(meters.of("p").lowestConcurrencyLimit()).isEqualTo(1);
            assertThat(simulator.heldAtArrivals("p")).as("requests the platform held at once").allSatisfy(held -> assertThat(held)
                    .isBetween(1, 4));
        }
    }

    @Test
    void aRateLimitedPlatformIsNotStarvedOfItsRate() throws Exception {
        // 10 requests a second and 150 ms per answer: one request at a time would send only 6.7 a second
        SimulatedFaults slowish = faults(Duration.ofMillis(150), Duration.ZERO);
        try (BindingCheckSimulator simulator = BindingCheckSimulator.start(0, DemoBindings.empty(), id -> slowish);
             BindingCheckApiAdapterFactory factory = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry())) {
            Platform platform = platform(simulator, "max-concurrency", "4", "rate-limit", "10");
            PlatformChannel channel = channel(platform, factory.create(platform));

            assertThat(outcomes(submit(channel, platform, 0, 200))).isEqualTo(Map.of("CLEAN", 200L));

            List<Long> arrivals = simulator.arrivals("p");
            double spacing = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e6 / (arrivals.size() - 1);
            assertThat(spacing).as("ms between requests").isLessThan(130);
            assertThat(simulator.heldAtArrivals("p")).as("requests the platform held at once").contains(2);
        }
    }

    @Test
    void aPlatformRefusingRequestsAboveItsRateDoesNotLowerTheLimit() throws Exception {
        // the platform takes 6 requests a second and answers the rest 429; this process is set to send 10
        SimulatedFaults stricter = new SimulatedFaults(0, 1.0, 0, false, 0.0, Duration.ofMillis(150), Duration.ZERO, false, 500, 6,
                Duration.ofMillis(200), null, null, null, 0, AnswerLayout.COMPACT);
        RequestMeters meters = new RequestMeters(new SimpleMeterRegistry());
        try (BindingCheckSimulator simulator = BindingCheckSimulator.start(0, DemoBindings.empty(), id -> stricter);
             BindingCheckApiAdapterFactory factory = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry(), meters)) {
            Platform platform = platform(simulator, "max-concurrency", "4", "rate-limit", "10");
            PlatformChannel channel = channel(platform, factory.create(platform));

            outcomes(submit(channel, platform, 0, 150));

            assertThat(meters.of("p").thisProcess().http429()).as("429s the platform answered").isPositive();
            assertThat(meters.of("p").lowestConcurrencyLimit()).as("a 429 is about the rate, not the requests in flight").isNull();
        }
    }

    private static SimulatedFaults faults(Duration delay, Duration loadDelay) {
        return new SimulatedFaults(0, 1.0, 0, false, 0.0, delay, loadDelay, false, 500, 0, Duration.ofSeconds(1), null, null,
                null, 0, AnswerLayout.COMPACT);
    }

    /** Batches of 5 to the simulator's platform {@code p}, with {@code settings} beside its url. */
    private static Platform platform(BindingCheckSimulator simulator, String... settings) {
        URI url = simulator.baseUrl("p");
        List<String> keysAndValues = new ArrayList<>(List.of("url", url.toString(), "batch-size", "5"));
        keysAndValues.addAll(List.of(settings));
        return new Platform("p", TestBinding.bind(PlatformSettings.class, keysAndValues.toArray(String[]::new)), url);
    }

    private static PlatformChannel channel(Platform platform, BindingCheckAdapter adapter) {
        return new PlatformChannel(0, platform, adapter, AS_OF, new NoAnswerLog(), StallGuard.of(List.of(platform)));
    }

    private static List<BindingCheck> submit(PlatformChannel channel, Platform platform, int from, int count) {
        List<BindingCheck> checks = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            BindingCheck check = new BindingCheck(i, new MobileNumber(13800000000L + i), List.of(platform));
            checks.add(check);
            channel.submit(check);
        }
        channel.flush();
        return checks;
    }

    /** The verdicts by outcome, with the reasons of those undetermined: {@code UNDETERMINED p:TIMEOUT}. */
    private static Map<String, Long> outcomes(List<BindingCheck> checks) {
        return checks.stream().map(check -> check.verdict().orTimeout(60, TimeUnit.SECONDS).join())
                .collect(Collectors.groupingBy(verdict -> verdict.outcome() == BindingVerdict.Outcome.UNDETERMINED
                        ? verdict.outcome() + " " + verdict.reason() : verdict.outcome().toString(), TreeMap::new, Collectors.counting()));
    }

    private static int median(List<Integer> values) {
        List<Integer> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
