package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.numberaudit.TestBinding;
import com.numberaudit.demo.AnswerLayout;
import com.numberaudit.demo.BindingCheckSimulator;
import com.numberaudit.demo.DemoBindings;
import com.numberaudit.demo.SimulatedFaults;

/** A platform's {@code timeout} is the platform's time: from sending to the answer, not time queued on this machine. */
class ExchangeTimeoutTest {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 28);
    private static final List<byte[]> IDS = List.of("+8613832738807".getBytes());

    private BindingCheckSimulator simulator;
    private HttpClient http;

    @AfterEach
    void stop() throws Exception {
        if (http != null) {
            http.stop();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void requestsQueuedForTheOneConnectionAreNotTimedOutWhileTheyWait() throws Exception {
        // each answer takes 200 ms, the platform's timeout is 300 ms; through one connection, the fourth request
        // waits 600 ms on this machine before it is sent, then gets its answer 200 ms later: within the platform's time
        SimulatedFaults slow = new SimulatedFaults(0, 1.0, 0, false, 0.0, Duration.ofMillis(200), Duration.ZERO, false, 500, 0,
                Duration.ofSeconds(1), null, null, null, 0, AnswerLayout.COMPACT);
        simulator = BindingCheckSimulator.start(0, DemoBindings.empty(), platform -> slow);
        http = new HttpClient();
        http.setMaxConnectionsPerDestination(1);
        http.start();
        URI base = simulator.baseUrl("p");
        PlatformSettings settings = TestBinding.bind(PlatformSettings.class, "url", base.toString(), "timeout", "300ms");
        Platform platform = new Platform("p", settings, base);
        BindingCheckExchange exchange = new BindingCheckExchange(platform, http,
                new AdaptiveConcurrency(platform, new RequestMeters(new SimpleMeterRegistry()).of("p"), AdaptiveConcurrency.logLines()));

        List<CompletableFuture<ExchangeOutcome>> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(exchange.post(AS_OF, IDS));
        }
        List<String> kinds = new ArrayList<>();
        for (CompletableFuture<ExchangeOutcome> outcome : sent) {
            ExchangeOutcome done = outcome.get(10, TimeUnit.SECONDS);
            kinds.add(done.kind() + (done.reason() == null ? "" : " " + done.reason()));
        }
        assertThat(kinds).containsOnly("ANSWERED");
    }

    @Test
    void aPlatformSlowerThanItsTimeoutStillTimesOut() throws Exception {
        SimulatedFaults slow = new SimulatedFaults(0, 1.0, 0, false, 0.0, Duration.ofSeconds(3), Duration.ZERO, false, 500, 0,
                Duration.ofSeconds(1), null, null, null, 0, AnswerLayout.COMPACT);
        simulator = BindingCheckSimulator.start(0, DemoBindings.empty(), platform -> slow);
        http = new HttpClient();
        http.start();
        URI base = simulator.baseUrl("p");
        PlatformSettings settings = TestBinding.bind(PlatformSettings.class, "url", base.toString(), "timeout", "300ms");
        Platform platform = new Platform("p", settings, base);
        BindingCheckExchange exchange = new BindingCheckExchange(platform, http,
                new AdaptiveConcurrency(platform, new RequestMeters(new SimpleMeterRegistry()).of("p"), AdaptiveConcurrency.logLines()));

        long started = System.nanoTime();
        ExchangeOutcome outcome = exchange.post(AS_OF, IDS).get(10, TimeUnit.SECONDS);

        assertThat(outcome.reason()).isEqualTo(ExchangeOutcome.TIMEOUT);
        assertThat(outcome.failureKind()).isEqualTo("TIMEOUT (TimeoutException)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a 3 s answer cut at 300 ms").isLessThan(Duration.ofMillis(2500));
    }
}
