package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import com.numberaudit.report.AuditTotals;

/**
 * A worker process runs one partition after another, and its request counters count every request it sent: each
 * partition's totals hold the requests it sent itself, once, on top of what its earlier executions committed.
 */
class PartitionRequestCountsTest {

    private static final List<String> PLATFORMS = List.of("jd", "wechat");

    @Test
    void oneProcessRunningTwoPartitionsCountsEachRequestInThePartitionThatSentIt() {
        RequestMeters meters = new RequestMeters(new SimpleMeterRegistry());
        ExecutionContext p0 = new ExecutionContext();
        AuditTotals first = new AuditTotals(PLATFORMS, meters);
        first.open(p0);
        sent(meters.of("jd"), 4);
        first.update(p0);

        ExecutionContext p2 = new ExecutionContext();
        p2.putLong("totals.platform.jd.requests", 3); // committed by an earlier execution of p2, in a process since killed
        AuditTotals second = new AuditTotals(PLATFORMS, meters);
        sent(meters.of("jd"), 2); // its ticket polls, before the step opens
        second.open(p2);
        sent(meters.of("jd"), 5);
        second.update(p2);

        assertThat(AuditTotals.from(p0, PLATFORMS).requestsByPlatform().get("jd").requests()).isEqualTo(4);
        assertThat(AuditTotals.from(p2, PLATFORMS).requestsByPlatform().get("jd").requests()).isEqualTo(3 + 2 + 5);
    }

    @Test
    void aSingleNodeCountsItsTicketPollsAndWhatItsKilledProcessCommitted() {
        RequestMeters meters = new RequestMeters(new SimpleMeterRegistry());
        ExecutionContext context = new ExecutionContext();
        context.putLong("totals.platform.jd.requests", 6);
        AuditTotals totals = new AuditTotals(PLATFORMS, meters); // built with the context, before any request
        sent(meters.of("jd"), 1); // a ticket poll in beforeStep
        totals.open(context);
        sent(meters.of("jd"), 2);
        totals.update(context);

        assertThat(AuditTotals.from(context, PLATFORMS).requestsByPlatform().get("jd").requests()).isEqualTo(9);
        assertThat(meters.of("jd").counts().requests()).as("the exported counter: the run's").isEqualTo(9);
    }

    private static void sent(PlatformMeters meters, int requests) {
        for (int i = 0; i < requests; i++) {
            meters.requestSent();
        }
    }
}
