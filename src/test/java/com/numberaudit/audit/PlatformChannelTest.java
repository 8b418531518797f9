package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.numberaudit.TestBinding;
import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.BindingCheckAdapter;
import com.numberaudit.platform.NoAnswerLog;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformSettings;

@ExtendWith(OutputCaptureExtension.class)
class PlatformChannelTest {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 28);
    private static final Platform PLATFORM = new Platform("p",
            TestBinding.bind(PlatformSettings.class, "batch-size", "2", "max-concurrency", "1"), null);

    @Test
    void answersThatBreakWhileBeingReadLeaveTheirBatchUndeterminedAndTheChannelServesTheNextBatch() {
        AtomicInteger calls = new AtomicInteger();
        // the first batch's answers break on reading the second; later batches are answered
        BindingCheckAdapter adapter = (asOf, numbers) -> CompletableFuture.completedFuture(calls.getAndIncrement() == 0
                ? breaksAt(1, numbers.size()) : Collections.nCopies(numbers.size(), BindingAnswer.NOT_BOUND));
        PlatformChannel channel = new PlatformChannel(0, PLATFORM, adapter, AS_OF, new NoAnswerLog(), StallGuard.of(List.of(PLATFORM)));

        List<BindingCheck> checks = submit(channel, 4);

        BindingVerdict unanswered = new BindingVerdict(BindingVerdict.Outcome.UNDETERMINED, List.of("p"), "p:ADAPTER_ERROR");
        assertThat(checks.get(0).verdict()).isCompletedWithValue(unanswered);
        assertThat(checks.get(1).verdict()).isCompletedWithValue(unanswered);
        assertThat(checks.get(2).verdict().join().outcome()).isEqualTo(BindingVerdict.Outcome.CLEAN);
        assertThat(checks.get(3).verdict().join().outcome()).isEqualTo(BindingVerdict.Outcome.CLEAN);
    }

    @Test
    void anAdapterThatKeepsFailingIsLoggedOnceWithItsStackTraceAndCountedForTheSummary(CapturedOutput output) {
        BindingCheckAdapter adapter = (asOf, numbers) -> CompletableFuture.failedFuture(new IllegalStateException("adapter bug"));
        NoAnswerLog noAnswers = new NoAnswerLog();
        PlatformChannel channel = new PlatformChannel(0, PLATFORM, adapter, AS_OF, noAnswers, StallGuard.of(List.of(PLATFORM)));

        List<BindingCheck> checks = submit(channel, 6);
        noAnswers.summarise();

        assertThat(checks).allSatisfy(check -> assertThat(check.verdict().join().reason()).isEqualTo("p:ADAPTER_ERROR"));
        assertThat(Pattern.compile("p: no answer.*|IllegalStateException: adapter bug").matcher(output.getOut()).results()
                .map(MatchResult::group)).containsExactly(
                        "p: no answer for 2 ids: ADAPTER_ERROR (the first; the rest are counted and summed up when the run ends)",
                        "IllegalStateException: adapter bug",
                        "p: no answer for 6 ids this run: ADAPTER_ERROR");
    }

    @Test
    void idsWithoutAnAnswerAreCountedBeforeTheirVerdictsComplete(CapturedOutput output) {
        BindingCheckAdapter adapter = (asOf, numbers) -> CompletableFuture.completedFuture(
                Collections.nCopies(numbers.size(), BindingAnswer.noAnswer("TIMEOUT")));
        NoAnswerLog noAnswers = new NoAnswerLog();
        PlatformChannel channel = new PlatformChannel(0, PLATFORM, adapter, AS_OF, noAnswers, StallGuard.of(List.of(PLATFORM)));

        // the run's end comes the moment the last verdict completes: its summary must count every batch
        List<BindingCheck> checks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            checks.add(new BindingCheck(i, new MobileNumber(13800000000L + i), List.of(PLATFORM)));
        }
        checks.get(3).verdict().thenRun(noAnswers::summarise);
        checks.forEach(channel::submit);
        channel.flush();

        assertThat(output.getOut()).contains("p: no answer for 4 ids this run: TIMEOUT");
    }

    @Test
    void numbersRefusedByAnOpenCircuitAreAskedAgainUntilAnswered(CapturedOutput output) {
        AtomicInteger calls = new AtomicInteger();
        // the circuit refuses the first two tries, then the platform answers
        BindingCheckAdapter adapter = (asOf, numbers) -> CompletableFuture.completedFuture(Collections.nCopies(numbers.size(),
                calls.getAndIncrement() < 2 ? BindingAnswer.noAnswer(BindingAnswer.CIRCUIT_OPEN) : BindingAnswer.NOT_BOUND));
        PlatformChannel channel = new PlatformChannel(0, PLATFORM, adapter, AS_OF, new NoAnswerLog(), StallGuard.of(List.of(PLATFORM)),
                AskAgain.until(Duration.ofMinutes(1)));

        List<BindingCheck> checks = submit(channel, 2);

        assertThat(checks).allSatisfy(check -> assertThat(check.verdict().orTimeout(10, TimeUnit.SECONDS).join().outcome())
                .isEqualTo(BindingVerdict.Outcome.CLEAN));
        assertThat(calls.get()).isEqualTo(3);
        assertThat(output.getOut()).contains("p: circuit open: its numbers are held back and asked again every 1 s until ")
                .contains("p: the numbers held back while its circuit was open are answered or given up");
    }

    @Test
    void aStopRequestEndsTheHoldAndTheRefusedNumbersAreUndetermined() {
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        BindingCheckAdapter adapter = (asOf, numbers) -> {
            if (calls.incrementAndGet() == 2) {
                stopping.set(true);  // SIGTERM while the numbers are held back
            }
            return CompletableFuture.completedFuture(Collections.nCopies(numbers.size(), BindingAnswer.noAnswer(BindingAnswer.CIRCUIT_OPEN)));
        };
        PlatformChannel channel = new PlatformChannel(0, PLATFORM, adapter, AS_OF, new NoAnswerLog(), StallGuard.of(List.of(PLATFORM)),
                AskAgain.until(Duration.ofHours(1), stopping::get));

        List<BindingCheck> checks = submit(channel, 2);

        assertThat(checks).allSatisfy(check -> assertThat(check.verdict().orTimeout(10, TimeUnit.SECONDS).join().reason())
                .isEqualTo("p:CIRCUIT_OPEN"));
        assertThat(calls.get()).isEqualTo(2);
    }

    private static List<BindingCheck> submit(PlatformChannel channel, int count) {
        List<BindingCheck> checks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BindingCheck check = new BindingCheck(i, new MobileNumber(13800000000L + i), List.of(PLATFORM));
            checks.add(check);
            channel.submit(check);
        }
        channel.flush();
        return checks;
    }

    /** NOT_BOUND for each number, until reading the one at {@code broken} throws. */
    private static List<BindingAnswer> breaksAt(int broken, int size) {
        return new AbstractList<>() {
            @Override
            public BindingAnswer get(int index) {
                if (index >= broken) {
                    throw new IllegalStateException("answer " + index + " cannot be read");
                }
                return BindingAnswer.NOT_BOUND;
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
