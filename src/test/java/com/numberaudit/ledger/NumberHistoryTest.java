package com.numberaudit.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import testsupport.db.OnH2AndPostgreSQL;
import testsupport.db.RepositoryDatabase;

/**
 * A number's history as the operator answering a complaint reads it, on both databases: where it
 * stands now, then each night it was checked, every platform's answer or reason, and the
 * correlator of the request that brought it.
 */
class NumberHistoryTest extends LedgerDatabaseTest {

    private static final List<String> PLATFORMS = List.of("alipay", "jd", "wechat");
    private static final Night NIGHT_1 = new Night(LocalDate.of(2026, 11, 28), 0);
    private static final Night NIGHT_2 = new Night(LocalDate.of(2026, 11, 29), 0);
    private static final MobileNumber NUMBER = new MobileNumber(13832738807L);
    /** Ends in the same two digits: on the same trail pages. */
    private static final MobileNumber NEIGHBOUR = new MobileNumber(13912345607L);

    @OnH2AndPostgreSQL
    void every_night_every_platform_and_the_request_behind_each_answer(RepositoryDatabase database) {
        openDatabase(database);
        Ledger ledger = fixture.ledger(PLATFORMS);
        fixture.heldSet().take(NIGHT_1, PLATFORMS, true);
        fixture.record(ledger, NIGHT_1, List.of(
                entry(3, NEIGHBOUR, null, false, BindingAnswer.notBound("a-1"), BindingAnswer.notBound("j-1"), BindingAnswer.notBound("w-1")),
                entry(4, NUMBER, null, false, BindingAnswer.bound(2, "a-1"), BindingAnswer.noAnswer("HTTP_503", "j-1"),
                        BindingAnswer.pending("t-9", "w-1"))));
        fixture.heldSet().take(NIGHT_2, PLATFORMS, true);
        // jd's request before the number's row does not reach it: the number had no request of jd that night
        fixture.record(ledger, NIGHT_2, List.of(
                entry(0, NEIGHBOUR, null, false, BindingAnswer.notBound("a-2"), BindingAnswer.notBound("j-2"), BindingAnswer.notBound("w-2")),
                entry(1, NUMBER, NIGHT_1.date(), true, BindingAnswer.notBound("a-2"), BindingAnswer.noAnswer("CIRCUIT_OPEN", null),
                        BindingAnswer.notBound("w-2"))));

        String printed = print(NUMBER);

        assertThat(printed.lines().map(String::stripTrailing)).containsExactly(
                "13832738807 in the audit ledger",
                "  now: UNDETERMINED, held since 2026-11-28 (2 nights checked since 2026-11-28, last 2026-11-29): jd:CIRCUIT_OPEN",
                "",
                "2026-11-28  BOUND  (from the input)",
                "  alipay       BOUND (2 accounts)                 x-correlator a-1",
                "  jd           HTTP_503                           x-correlator j-1",
                "  wechat       PENDING (ticket t-9)               x-correlator w-1",
                "",
                "2026-11-29  UNDETERMINED  (re-audited from the ledger)",
                "  alipay       NOT_BOUND                          x-correlator a-2",
                "  jd           CIRCUIT_OPEN                       (no request: nothing was sent)",
                "  wechat       NOT_BOUND                          x-correlator w-2");
    }

    @OnH2AndPostgreSQL
    void a_number_clean_at_its_only_check_has_its_proof_and_an_unknown_one_is_said_to_be_unknown(RepositoryDatabase database) {
        openDatabase(database);
        Ledger ledger = fixture.ledger(PLATFORMS);
        fixture.heldSet().take(NIGHT_1, PLATFORMS, true);
        fixture.record(ledger, NIGHT_1, List.of(
                entry(7, NEIGHBOUR, null, false, BindingAnswer.notBound("a-1"), BindingAnswer.notBound("j-1"), BindingAnswer.notBound("w-1"))));

        assertThat(print(NEIGHBOUR).lines().map(String::stripTrailing)).containsExactly(
                "13912345607 in the audit ledger",
                "  now: never held; CLEAN when last checked, 2026-11-28",
                "",
                "2026-11-28  CLEAN  (from the input)",
                "  alipay       NOT_BOUND                          x-correlator a-1",
                "  jd           NOT_BOUND                          x-correlator j-1",
                "  wechat       NOT_BOUND                          x-correlator w-1");
        assertThat(print(NUMBER)).startsWith("13832738807: the audit ledger knows nothing of this number");
    }

    private String print(MobileNumber number) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new NumberHistory(fixture.jdbc).print(number, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static LedgerEntry entry(long seq, MobileNumber number, LocalDate heldSince, boolean reaudited, BindingAnswer... answers) {
        return new LedgerEntry(seq, number, "2026-08-20", heldSince, reaudited, answers);
    }
}
