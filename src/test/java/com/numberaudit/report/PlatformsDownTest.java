package com.numberaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import com.numberaudit.platform.BindingAnswer;

/**
 * Which nights need a look (exit 3): those where a platform failed as a whole, decided from the audit step's totals as
 * the job repository keeps them, so a night resumed after a kill decides from all its chunks, not from the last process.
 */
class PlatformsDownTest {

    private static final List<String> PLATFORMS = List.of("jd", "qq", "wechat");

    @ParameterizedTest
    @ValueSource(strings = {"PLATFORM_DOWN:HTTP_401", "PLATFORM_DOWN:HTTP_403", "CIRCUIT_OPEN", "TLS_HANDSHAKE", "SNAPSHOT_MISSING",
            "SNAPSHOT_UNVERIFIED", "SNAPSHOT_UNREADABLE"})
    void aReasonOfThePlatformAsAWholeTakesItDown(String reason) {
        AuditTotals totals = new AuditTotals(PLATFORMS, null);
        totals.countAnswers(answers(BindingAnswer.NOT_BOUND, BindingAnswer.noAnswer(reason), BindingAnswer.NOT_BOUND));

        PlatformsDown down = PlatformsDown.of(totals);

        assertThat(down.any()).isTrue();
        assertThat(down.reasons()).isEqualTo(Map.of("qq", Map.of(reason, 1L)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP_500", "HTTP_429", "HTTP_400", "TIMEOUT", "CONNECTION_FAILED", "BROKEN_RESPONSE", "MISSING_ID",
            "REPEATED_ID", "UNKNOWN_STATUS", "DUPLICATE_KEY", "CONTRADICTORY_ANSWER", "PENDING", "EXPIRED", "TICKET_UNKNOWN",
            "ADAPTER_ERROR"})
    void anIsolatedReasonDoesNot(String reason) {
        AuditTotals totals = new AuditTotals(PLATFORMS, null);
        totals.countAnswers(answers(BindingAnswer.noAnswer(reason), BindingAnswer.noAnswer(reason), BindingAnswer.bound(1)));
        totals.countAnswers(answers(BindingAnswer.NOT_BOUND, BindingAnswer.bound(1), BindingAnswer.NOT_BOUND));

        assertThat(PlatformsDown.of(totals).any()).isFalse();
        assertThat(totals.unansweredByPlatform()).isEqualTo(Map.of("jd", Map.of(reason, 1L), "qq", Map.of(reason, 1L), "wechat", Map.of()));
    }

    @Test
    void aPlatformThatAnsweredNothingAllNightWasDownWhateverTheReasonButNotOneWaitingForItsTickets() {
        AuditTotals totals = new AuditTotals(PLATFORMS, null);
        // a small night: too few batches for the circuit to open, every one refused at the door
        totals.countAnswers(answers(BindingAnswer.noAnswer("CONNECTION_FAILED"), BindingAnswer.noAnswer("PENDING"), BindingAnswer.NOT_BOUND));
        totals.countAnswers(answers(BindingAnswer.noAnswer("CONNECTION_FAILED"), BindingAnswer.noAnswer("EXPIRED"), BindingAnswer.bound(1)));

        assertThat(PlatformsDown.of(totals).lines()).containsExactly("platform jd was down: 2 numbers held (CONNECTION_FAILED)");
    }

    @Test
    void eachPlatformDownIsOneLineWithHowManyNumbersItLeftHeldAndWhy() {
        AuditTotals totals = new AuditTotals(PLATFORMS, null);
        for (int i = 0; i < 1234; i++) {
            totals.countAnswers(answers(BindingAnswer.noAnswer("PLATFORM_DOWN:HTTP_401"), BindingAnswer.NOT_BOUND,
                    BindingAnswer.noAnswer(i % 2 == 0 ? "CIRCUIT_OPEN" : i % 3 == 0 ? "TLS_HANDSHAKE" : "HTTP_503")));
        }

        // wechat answered nothing all night: its isolated reasons count too
        assertThat(PlatformsDown.of(totals).lines()).containsExactly(
                "platform jd was down: 1,234 numbers held (PLATFORM_DOWN:HTTP_401)",
                "platform wechat was down: 1,234 numbers held (CIRCUIT_OPEN 617, HTTP_503 411, TLS_HANDSHAKE 206)");
    }

    @Test
    void theTotalsItIsDecidedFromAreThoseTheJobRepositoryKeptAcrossARestart() {
        ExecutionContext committed = new ExecutionContext();
        AuditTotals killed = new AuditTotals(PLATFORMS, null);
        killed.open(committed);
        killed.countAnswers(answers(BindingAnswer.noAnswer("CIRCUIT_OPEN"), BindingAnswer.NOT_BOUND, BindingAnswer.NOT_BOUND));
        killed.update(committed); // the chunk's commit; the process is killed after it

        AuditTotals resumed = new AuditTotals(PLATFORMS, null);
        resumed.open(committed);
        resumed.countAnswers(answers(BindingAnswer.NOT_BOUND, BindingAnswer.noAnswer("HTTP_500"), BindingAnswer.NOT_BOUND));
        resumed.update(committed);

        AuditTotals read = AuditTotals.from(committed, PLATFORMS);
        assertThat(read.unansweredByPlatform()).isEqualTo(Map.of("jd", Map.of("CIRCUIT_OPEN", 1L), "qq", Map.of("HTTP_500", 1L),
                "wechat", Map.of()));
        assertThat(PlatformsDown.of(read).lines()).containsExactly("platform jd was down: 1 number held (CIRCUIT_OPEN)");
    }

    private static BindingAnswer[] answers(BindingAnswer... answers) {
        return answers;
    }
}
