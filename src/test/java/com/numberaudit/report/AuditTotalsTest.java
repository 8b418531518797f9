package com.numberaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import com.numberaudit.number.RejectReason;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.RequestCounts;
import com.numberaudit.platform.RequestMeters;

/** The totals an interrupted run resumes from: what the step's execution context held at its last commit. */
class AuditTotalsTest {

    private static final List<String> PLATFORMS = List.of("jd", "wechat");

    @Test
    void eachPlatformsUnansweredNumbersByReasonComeBackWhole() {
        AuditTotals first = new AuditTotals(PLATFORMS, new RequestMeters(new SimpleMeterRegistry()));
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        first.countAnswers(answers(BindingAnswer.noAnswer("HTTP_500"), BindingAnswer.NOT_BOUND));
        first.countAnswers(answers(BindingAnswer.noAnswer("CIRCUIT_OPEN"), BindingAnswer.noAnswer("PLATFORM_DOWN:HTTP_401")));
        first.countAnswers(answers(BindingAnswer.noAnswer("CIRCUIT_OPEN"), null));
        first.update(context);

        // a restart: a new process reads the context back, and goes on counting
        AuditTotals resumed = new AuditTotals(PLATFORMS, new RequestMeters(new SimpleMeterRegistry()));
        resumed.open(context);
        resumed.countAnswers(answers(BindingAnswer.noAnswer("HTTP_500"), BindingAnswer.bound(1)));
        resumed.update(context);

        Map<String, Map<String, Long>> unanswered = AuditTotals.from(context, PLATFORMS).unansweredByPlatform();
        assertThat(unanswered.get("jd")).containsExactly(Map.entry("CIRCUIT_OPEN", 2L), Map.entry("HTTP_500", 2L));
        assertThat(unanswered.get("wechat")).containsExactly(Map.entry("NOT_ASKED", 1L), Map.entry("PLATFORM_DOWN:HTTP_401", 1L));
        assertThat(AuditTotals.from(context, PLATFORMS).answersByPlatform().get("jd").get(BindingAnswer.Status.NO_ANSWER)).isEqualTo(4);
    }

    @Test
    void requestCountsCommittedByAnEarlierProcessAreWhereTheNextProcesssCountersStart() {
        RequestMeters killed = new RequestMeters(new SimpleMeterRegistry());
        AuditTotals first = new AuditTotals(PLATFORMS, killed);
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        killed.of("jd").carryOver(new RequestCounts(3, 1, 0, 1)); // as if the first process had counted these
        first.update(context);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RequestMeters next = new RequestMeters(registry);
        AuditTotals resumed = new AuditTotals(PLATFORMS, next);
        resumed.open(context);

        assertThat(next.of("jd").counts()).isEqualTo(new RequestCounts(3, 1, 0, 1));
        assertThat(registry.get("number.audit.platform.circuit.openings").tag("platform", "jd").functionCounter().count()).isEqualTo(1);
        resumed.update(context);
        assertThat(AuditTotals.from(context, PLATFORMS).requestsByPlatform())
                .containsEntry("jd", new RequestCounts(3, 1, 0, 1))
                .containsEntry("wechat", RequestCounts.NONE);
    }

    @Test
    void twoPartitionsTotalsAddUpCountByCount() {
        ExecutionContext p0 = new ExecutionContext();
        AuditTotals first = new AuditTotals(PLATFORMS, null);
        first.open(p0);
        first.countClean();
        first.countBound();
        first.countRejected(RejectReason.DUPLICATE);
        first.countAnswers(answers(BindingAnswer.noAnswer("HTTP_500"), BindingAnswer.NOT_BOUND));
        first.update(p0);
        p0.putLong("totals.platform.jd.requests", 7);
        ExecutionContext p1 = new ExecutionContext();
        AuditTotals second = new AuditTotals(PLATFORMS, null);
        second.open(p1);
        second.countUndetermined();
        second.countReaudited();
        second.countRejected(RejectReason.DUPLICATE);
        second.countRejected(RejectReason.INVALID);
        second.countAnswers(answers(BindingAnswer.noAnswer("HTTP_500"), BindingAnswer.noAnswer("CIRCUIT_OPEN")));
        second.update(p1);
        p1.putLong("totals.platform.jd.requests", 5);
        p1.putLong("totals.platform.wechat.http429", 2);

        AuditTotals sum = AuditTotals.from(p0, PLATFORMS).plus(AuditTotals.from(p1, PLATFORMS));
        ExecutionContext written = new ExecutionContext();
        sum.update(written);
        AuditTotals read = AuditTotals.from(written, PLATFORMS);

        assertThat(List.of(read.clean(), read.bound(), read.undetermined(), read.rejected(), read.reaudited(), read.rows()))
                .containsExactly(1L, 1L, 1L, 3L, 1L, 6L);
        assertThat(read.rejectedByReason()).containsExactlyInAnyOrderEntriesOf(Map.of(RejectReason.DUPLICATE, 2L, RejectReason.INVALID, 1L));
        assertThat(read.unansweredByPlatform().get("jd")).containsExactly(Map.entry("HTTP_500", 2L));
        assertThat(read.unansweredByPlatform().get("wechat")).containsExactly(Map.entry("CIRCUIT_OPEN", 1L));
        assertThat(read.answersByPlatform().get("wechat")).containsEntry(BindingAnswer.Status.NOT_BOUND, 1L)
                .containsEntry(BindingAnswer.Status.NO_ANSWER, 1L);
        assertThat(read.requestsByPlatform()).containsEntry("jd", new RequestCounts(12, 0, 0, 0))
                .containsEntry("wechat", new RequestCounts(0, 0, 2, 0));
    }

    private static BindingAnswer[] answers(BindingAnswer... answers) {
        return answers;
    }
}
