package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;

import com.numberaudit.TestBinding;
import com.numberaudit.ledger.Ledger;
import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.BindingCheckAdapter;
import com.numberaudit.platform.BindingCheckAdapterFactory;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;
import com.numberaudit.platform.PlatformSettings;
import com.numberaudit.platform.RequestMeters;
import com.numberaudit.report.AuditTotals;

class StallGuardTest {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 28);
    private static final MobileNumber NUMBER = new MobileNumber(13832738807L);

    @TempDir
    Path work;

    @Test
    void aPlatformThatNeverAnswersFailsTheChunkWhenNoAnswerCameForLongerThanItsSettingsAllow() {
        // per platform: 200 ms × 2 attempts + 100 ms back-off + 0 pending-wait = 0.5 s; plus one timeout and 5 s: 5.7 s
        String[] small = {"url", "http://platform.invalid/", "timeout", "200ms", "retry.max-attempts", "2", "retry.max-backoff", "100ms",
                "pending-wait", "0s", "batch-size", "1"};
        PlatformRegistry registry = PlatformRegistry.build(
                Map.of("silent", settings(small, "adapter", "never"), "steady", settings(small, "adapter", "at-once")),
                List.of(new Factory("never", (asOf, numbers) -> new CompletableFuture<>()),
                        new Factory("at-once", (asOf, numbers) -> CompletableFuture.completedFuture(
                                Collections.nCopies(numbers.size(), BindingAnswer.NOT_BOUND)))),
                null);
        BindingCheckDispatcher dispatcher = new BindingCheckDispatcher(registry, AS_OF);
        // the chunk stalls before it reaches the ledger, which therefore needs no database here
        AuditResultWriter writer = new AuditResultWriter(work, dispatcher, new AuditTotals(List.of("silent", "steady"),
                new RequestMeters(new SimpleMeterRegistry())), () -> { },
                new Ledger(new JdbcTemplate(), List.of("silent", "steady")));
        writer.open(new ExecutionContext());
        Chunk<AuditItem> chunk = new Chunk<>(List.of(new AuditItem.Audited(NUMBER, "", dispatcher.start(NUMBER, 0), null, false)));

        long started = System.nanoTime();
        // the bound only keeps a guard of 15 minutes from holding the build
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> assertThatThrownBy(() -> writer.write(chunk))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stall bound of 5.7 s (the longest batch of silent, 0.5 s, plus one more timeout, 0.2 s, and 5.0 s)")
                .hasMessageContaining("still owing answers: silent (1 batch)")
                .hasMessageNotContaining("steady"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(5_700), Duration.ofSeconds(20));
        writer.close();
        registry.close();
    }

    @Test
    void answersThatKeepComingAreNoStallHoweverLongTheWaitForOneVerdict() throws Exception {
        BindingCheck check = new BindingCheck(0, NUMBER, List.of(new Platform("p", TestBinding.bind(PlatformSettings.class), null)));
        StallGuard guard = new StallGuard(Duration.ofSeconds(1), "a test bound");
        ScheduledExecutorService platform = Executors.newSingleThreadScheduledExecutor();
        try {
            // other batches are answered every 100 ms; this number's answer comes after 3 s, three times the bound
            platform.scheduleAtFixedRate(guard::progress, 100, 100, TimeUnit.MILLISECONDS);
            platform.schedule(() -> check.answer(0, BindingAnswer.NOT_BOUND), 3, TimeUnit.SECONDS);

            assertThat(guard.await(check, () -> "p", () -> false).outcome()).isEqualTo(BindingVerdict.Outcome.CLEAN);
        } finally {
            platform.shutdownNow();
        }
    }

    @Test
    void whenNothingMovesTheWaitFailsAtTheBoundNamingThePlatformsStillOwing() {
        BindingCheck check = new BindingCheck(0, NUMBER, List.of(new Platform("p", TestBinding.bind(PlatformSettings.class), null)));
        StallGuard guard = new StallGuard(Duration.ofSeconds(1), "a test bound");

        long started = System.nanoTime();
        assertThatThrownBy(() -> guard.await(check, () -> "p (1 batch)", () -> false)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no batch was answered by any platform, or sent to one, for 1.")
                .hasMessageContaining("beyond the stall bound of 1.0 s (a test bound); still owing answers: p (1 batch)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aPlatformStuckWhileAnotherIsHeldForItsOpenCircuitStillFailsTheChunkAtTheBound() {
        // numbers refused by refusing's open circuit are held back and asked again every second (audit.deadline 1 min);
        // those re-asks are no progress of anyone's, so silent, which never answers, is still found stuck at 5.7 s
        PlatformRegistry registry = registry(Map.of("refusing", "refuses", "silent", "never"));
        BindingCheckDispatcher dispatcher = new BindingCheckDispatcher(registry, AS_OF, Duration.ofMinutes(1), () -> false);
        BindingCheck check = dispatcher.start(NUMBER, 0);
        dispatcher.flush();

        long started = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> assertThatThrownBy(() -> dispatcher.await(check))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stall bound of 5.7 s")
                .hasMessageContaining("silent (1 batch)"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(5_700), Duration.ofSeconds(20));
        registry.close();
    }

    @Test
    void numbersHeldForAnOpenCircuitAreNoStallAndEndUndeterminedAtTheDeadline() throws Exception {
        // the only batch owed is held back for refusing's open circuit: quiet past the 5.7 s bound, until the 8 s deadline
        PlatformRegistry registry = registry(Map.of("refusing", "refuses", "steady", "at-once"));
        BindingCheckDispatcher dispatcher = new BindingCheckDispatcher(registry, AS_OF, Duration.ofSeconds(8), () -> false);
        BindingCheck check = dispatcher.start(NUMBER, 0);
        dispatcher.flush();

        long started = System.nanoTime();
        BindingVerdict verdict = assertTimeoutPreemptively(Duration.ofMinutes(1), () -> dispatcher.await(check));
        assertThat(verdict.reason()).isEqualTo("refusing:CIRCUIT_OPEN");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(20));
        registry.close();
    }

    /** Platforms by id and the adapter each has: never (answers nothing), at-once (NOT_BOUND) or refuses (CIRCUIT_OPEN). */
    private static PlatformRegistry registry(Map<String, String> adapters) {
        String[] small = {"url", "http://platform.invalid/", "timeout", "200ms", "retry.max-attempts", "2", "retry.max-backoff", "100ms",
                "pending-wait", "0s", "batch-size", "1"};
        Map<String, PlatformSettings> platforms = new TreeMap<>();
        adapters.forEach((id, adapter) -> platforms.put(id, settings(small, "adapter", adapter)));
        return PlatformRegistry.build(platforms, List.of(new Factory("never", (asOf, numbers) -> new CompletableFuture<>()),
                new Factory("at-once", (asOf, numbers) -> CompletableFuture.completedFuture(
                        Collections.nCopies(numbers.size(), BindingAnswer.NOT_BOUND))),
                new Factory("refuses", (asOf, numbers) -> CompletableFuture.completedFuture(
                        Collections.nCopies(numbers.size(), BindingAnswer.noAnswer(BindingAnswer.CIRCUIT_OPEN))))), null);
    }

    private static PlatformSettings settings(String[] common, String... more) {
        String[] keysAndValues = new String[common.length + more.length];
        System.arraycopy(common, 0, keysAndValues, 0, common.length);
        System.arraycopy(more, 0, keysAndValues, common.length, more.length);
        return TestBinding.bind(PlatformSettings.class, keysAndValues);
    }

    private record Factory(String name, BindingCheckAdapter adapter) implements BindingCheckAdapterFactory {

        @Override
        public BindingCheckAdapter create(Platform platform) {
            return adapter;
        }
    }
}
