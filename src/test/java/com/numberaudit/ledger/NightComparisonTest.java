package com.numberaudit.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import testsupport.db.OnH2AndPostgreSQL;
import testsupport.db.RepositoryDatabase;

/** "Since the previous night" of report.html, from the ledger, on both databases. */
class NightComparisonTest extends LedgerDatabaseTest {

    private static final List<String> PLATFORMS = List.of("alipay", "jd");
    private static final LocalDate DAY_1 = LocalDate.of(2026, 11, 27);
    private static final LocalDate DAY_2 = DAY_1.plusDays(1);

    @OnH2AndPostgreSQL
    void tonight_is_set_beside_the_last_night_that_finished_with_what_became_of_the_numbers_held(RepositoryDatabase database) {
        openDatabase(database);
        Ledger ledger = fixture.ledger(PLATFORMS);
        NightComparison comparison = new NightComparison(fixture.jdbc);
        Night first = new Night(DAY_1, 0);
        night(ledger, first, true, entry(0, 13800000001L, null, BindingAnswer.bound(1, "c"), BindingAnswer.notBound("c")),
                entry(1, 13800000002L, null, BindingAnswer.bound(1, "c"), BindingAnswer.noAnswer("HTTP_500", "c")),
                entry(2, 13800000003L, null, BindingAnswer.notBound("c"), BindingAnswer.noAnswer("TIMEOUT", "c")),
                entry(3, 13800000004L, null, BindingAnswer.notBound("c"), BindingAnswer.notBound("c")));
        NightComparison.Counts firstCounts = new NightComparison.Counts(1, 2, 1, 5,
                Map.of("alipay", new NightComparison.PlatformCounts(2, 0), "jd", new NightComparison.PlatformCounts(0, 2)));
        comparison.record(first, firstCounts);
        assertThat(comparison.compare(first)).as("the first night: nothing to compare with, three numbers held for the first time")
                .isEqualTo(new NightComparison.Comparison(null, null, new NightComparison.Holds(0, 0, 0, 3), null));

        // a rerun of day 1 that never finished leaves no counts: the comparison skips it
        fixture.heldSet().take(new Night(DAY_1, 1), PLATFORMS, true);
        Night second = new Night(DAY_2, 0);
        night(ledger, second, true,
                entry(0, 13800000005L, null, BindingAnswer.bound(3, "c"), BindingAnswer.notBound("c")),
                entry(1, 13800000001L, DAY_1, BindingAnswer.notBound("c"), BindingAnswer.notBound("c")),
                entry(2, 13800000002L, DAY_1, BindingAnswer.bound(1, "c"), BindingAnswer.notBound("c")),
                entry(3, 13800000003L, DAY_1, BindingAnswer.notBound("c"), BindingAnswer.noAnswer("TIMEOUT", "c")));

        assertThat(comparison.compare(second)).as("two of three held numbers still held, one released, one newly held")
                .isEqualTo(new NightComparison.Comparison(first, firstCounts, new NightComparison.Holds(3, 1, 2, 1), null));

        fixture.heldSet().take(new Night(DAY_2.plusDays(1), 0), PLATFORMS, true);
        assertThat(comparison.compare(second).holdsUnknown()).as("read after a later night started")
                .isEqualTo("the ledger has a later night (2026-11-29), whose word on these numbers stands");
    }

    @OnH2AndPostgreSQL
    void a_night_that_did_not_re_audit_says_so_and_a_night_written_again_keeps_its_last_counts(RepositoryDatabase database) {
        openDatabase(database);
        Ledger ledger = fixture.ledger(PLATFORMS);
        NightComparison comparison = new NightComparison(fixture.jdbc);
        Night first = new Night(DAY_1, 0);
        night(ledger, first, true, entry(0, 13800000001L, null, BindingAnswer.bound(1, "c"), BindingAnswer.notBound("c")));
        comparison.record(first, new NightComparison.Counts(9, 9, 9, 9, Map.of("alipay", new NightComparison.PlatformCounts(9, 9))));
        NightComparison.Counts written = new NightComparison.Counts(0, 1, 0, 0,
                Map.of("alipay", new NightComparison.PlatformCounts(1, 0), "jd", new NightComparison.PlatformCounts(0, 0)));
        comparison.record(first, written);
        Night second = new Night(DAY_2, 0);
        night(ledger, second, false, entry(0, 13800000005L, null, BindingAnswer.notBound("c"), BindingAnswer.notBound("c")));

        assertThat(comparison.compare(second)).isEqualTo(new NightComparison.Comparison(first, written, null,
                "the held numbers were not re-audited tonight (audit.reaudit=false)"));
    }

    private void night(Ledger ledger, Night night, boolean reaudit, LedgerEntry... entries) {
        fixture.heldSet().take(night, PLATFORMS, reaudit);
        fixture.record(ledger, night, List.of(entries));
    }

    private static LedgerEntry entry(long seq, long number, LocalDate heldSince, BindingAnswer... answers) {
        return new LedgerEntry(seq, new MobileNumber(number), "", heldSince, heldSince != null, answers);
    }
}
