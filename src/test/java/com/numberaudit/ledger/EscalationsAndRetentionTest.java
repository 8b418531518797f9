package com.numberaudit.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import testsupport.db.OnH2AndPostgreSQL;
import testsupport.db.RepositoryDatabase;

/**
 * What the end of a night reads and trims of the ledger, on both databases: the numbers held too
 * long (escalations.csv), and the trail of nights older than the retention.
 */
class EscalationsAndRetentionTest extends LedgerDatabaseTest {

    private static final List<String> PLATFORMS = List.of("alipay", "jd");
    private static final LocalDate DAY_1 = LocalDate.of(2026, 11, 28);

    @OnH2AndPostgreSQL
    void numbers_held_longer_than_escalate_after_are_due_longest_first(RepositoryDatabase database) {
        openDatabase(database);
        Ledger ledger = fixture.ledger(PLATFORMS);
        night(ledger, DAY_1, held(0, 15011112222L, null, BindingAnswer.bound(1, "c"), BindingAnswer.noAnswer("HTTP_500", "c")),
                held(1, 13832738807L, null, BindingAnswer.notBound("c"), BindingAnswer.noAnswer("TIMEOUT", "c")),
                held(2, 13700001234L, null, BindingAnswer.bound(1, "c"), BindingAnswer.notBound("c")));
        night(ledger, DAY_1.plusDays(1), held(0, 18600001111L, null, BindingAnswer.notBound("c"), BindingAnswer.bound(2, "c")),
                held(1, 13700001234L, DAY_1, BindingAnswer.notBound("c"), BindingAnswer.notBound("c")));

        List<Escalations.Escalation> due = due(DAY_1.plusDays(3), Duration.ofDays(2));

        assertThat(due).as("held since day 1, 3 days before: due; held since day 2: not yet; released: never").containsExactly(
                new Escalations.Escalation("13832738807", DAY_1, "jd", "jd:TIMEOUT"),
                new Escalations.Escalation("15011112222", DAY_1, "alipay;jd", "alipay:BOUND;jd:HTTP_500"));
        assertThat(due(DAY_1.plusDays(3), Duration.ofDays(1))).hasSize(3);
    }

    private List<Escalations.Escalation> due(LocalDate tonight, Duration escalateAfter) {
        try (Stream<Escalations.Escalation> due = new Escalations(fixture.jdbc).due(tonight, escalateAfter)) {
            return due.toList();
        }
    }

    @OnH2AndPostgreSQL
    void the_trail_of_nights_older_than_the_retention_goes_and_the_held_numbers_stay(RepositoryDatabase database) {
        openDatabase(database);
        Ledger ledger = fixture.ledger(PLATFORMS);
        for (int day = 0; day < 4; day++) {
            night(ledger, DAY_1.plusDays(day), held(0, 15011112222L, day == 0 ? null : DAY_1, BindingAnswer.bound(1, "c" + day),
                    BindingAnswer.notBound("c" + day)), held(1, 13700001234L + day, null, BindingAnswer.notBound("c"), BindingAnswer.notBound("c")));
        }
        TrailRetention retention = new TrailRetention(fixture.jdbc);

        assertThat(retention.prune(DAY_1.plusDays(3), Duration.ofDays(2), Duration.ZERO))
                .as("no time left: nothing deleted, the rest left for the next run").isEqualTo(new TrailRetention.Pruned(List.of(), true));
        TrailRetention.Pruned pruned = retention.prune(DAY_1.plusDays(3), Duration.ofDays(2));

        assertThat(pruned).isEqualTo(new TrailRetention.Pruned(List.of(new Night(DAY_1, 0)), false));
        for (String table : List.of("ledger_trail", "ledger_request", "ledger_reaudit", "ledger_night_platform", "ledger_night")) {
            assertThat(fixture.jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE run_date = ?").param(DAY_1).query(Long.class).single())
                    .as("%s of the night older than the retention", table).isZero();
        }
        assertThat(fixture.jdbc.sql("SELECT COUNT(DISTINCT run_date) FROM ledger_trail").query(Long.class).single())
                .as("younger nights keep their trail").isEqualTo(3);
        assertThat(fixture.jdbc.sql("SELECT held_since FROM ledger_number").query(LocalDate.class).single())
                .as("a hold outlives the retention").isEqualTo(DAY_1);
    }

    private void night(Ledger ledger, LocalDate date, LedgerEntry... entries) {
        fixture.heldSet().take(new Night(date, 0), PLATFORMS, true);
        fixture.record(ledger, new Night(date, 0), List.of(entries));
        new NightComparison(fixture.jdbc).record(new Night(date, 0), new NightComparison.Counts(0, 0, 0, 0,
                Map.of("alipay", new NightComparison.PlatformCounts(1, 0))));
    }

    private static LedgerEntry held(long seq, long number, LocalDate heldSince, BindingAnswer... answers) {
        return new LedgerEntry(seq, new MobileNumber(number), "", heldSince, false, answers);
    }
}
