package com.numberaudit.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import testsupport.db.OnH2AndPostgreSQL;
import testsupport.db.RepositoryDatabase;

/**
 * A night's held set, on both databases: the numbers held since that night or earlier, in number
 * order, kept as they were when the night first started whatever the ledger becomes, and named
 * by a digest that changes with them.
 */
class HeldSetTest extends LedgerDatabaseTest {

    private static final Night NIGHT = new Night(LocalDate.of(2026, 11, 30), 0);

    private JdbcClient jdbc;
    private HeldSet heldSet;

    void open(RepositoryDatabase database) {
        openDatabase(database);
        jdbc = fixture.jdbc;
        heldSet = fixture.heldSet();
    }

    @OnH2AndPostgreSQL
    void a_night_takes_the_numbers_held_until_then_in_number_order_and_keeps_them(RepositoryDatabase database) {
        open(database);
        number("15011112222", "BOUND", "2026-11-28");
        number("13832738807", "UNDETERMINED", "2026-11-29");
        number("13912345678", "PENDING", "2026-11-30");
        number("18600001111", "BOUND", "2026-12-01");

        heldSet.take(NIGHT, List.of("alipay", "wechat"), true);
        jdbc.sql("DELETE FROM ledger_number").update();

        HeldNumbers held = heldSet.load(NIGHT);
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            taken.add(held.get(i).ordinal() + " " + held.get(i).number() + " " + held.get(i).heldSince());
        }
        assertThat(taken).as("held since tonight or earlier; a number first held on a later night is not")
                .containsExactly("1 13832738807 2026-11-29", "2 13912345678 2026-11-30", "3 15011112222 2026-11-28");
        assertThat(held.heldSince(15011112222L)).isEqualTo(LocalDate.of(2026, 11, 28));
        assertThat(held.heldSince(18600001111L)).isNull();
        assertThat(jdbc.sql("SELECT platforms FROM ledger_night").query(String.class).single()).isEqualTo("alipay;wechat");
    }

    @OnH2AndPostgreSQL
    void the_summary_names_the_held_set_and_changes_with_it(RepositoryDatabase database) {
        open(database);
        number("15011112222", "BOUND", "2026-11-28");
        number("13832738807", "UNDETERMINED", "2026-11-29");
        heldSet.take(NIGHT, List.of("wechat"), true);
        HeldSet.Summary two = heldSet.summary(NIGHT);

        jdbc.sql("DELETE FROM ledger_number WHERE number = '13832738807'").update();
        heldSet.take(NIGHT, List.of("wechat"), true);
        HeldSet.Summary one = heldSet.summary(NIGHT);

        assertThat(two.numbers()).isEqualTo(2);
        assertThat(one.numbers()).isEqualTo(1);
        assertThat(one.toString()).startsWith("1 number, sha256 ").isNotEqualTo(two.toString());
        assertThat(heldSet.summary(new Night(NIGHT.date(), 1)).toString()).as("a night never taken").startsWith("0 numbers");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM ledger_night").query(Long.class).single()).as("taken again: replaced").isOne();
    }

    @OnH2AndPostgreSQL
    void a_rerun_of_the_date_also_takes_what_an_earlier_attempt_released_with_the_night_its_hold_began(RepositoryDatabase database) {
        open(database);
        number("15011112222", "BOUND", "2026-11-28");
        Ledger ledger = fixture.ledger(List.of("wechat"));
        heldSet.take(NIGHT, List.of("wechat"), true);
        // the first attempt (a wrong url, say) released it; its results are then replaced by a rerun
        fixture.record(ledger, NIGHT, List.of(new LedgerEntry(0, new MobileNumber(15011112222L), "2026-08-20", LocalDate.of(2026, 11, 28),
                true, new BindingAnswer[] {BindingAnswer.notBound("c1")})));
        Night rerun = new Night(NIGHT.date(), 1);

        heldSet.take(rerun, List.of("wechat"), true);

        HeldNumbers held = heldSet.load(rerun);
        assertThat(held.size()).as("the replaced attempt's word on it is not trusted: asked again").isOne();
        assertThat(held.get(0).number()).isEqualTo("15011112222");
        assertThat(held.get(0).heldSince()).isEqualTo(LocalDate.of(2026, 11, 28));
        fixture.record(ledger, rerun, List.of(new LedgerEntry(0, new MobileNumber(15011112222L), "2026-08-20", held.get(0).heldSince(),
                true, new BindingAnswer[] {BindingAnswer.bound(1, "c2")})));
        assertThat(jdbc.sql("SELECT state, held_since FROM ledger_number").query((rs, n) -> rs.getString(1) + " " + rs.getDate(2)).single())
                .as("held again, since the night its hold began").isEqualTo("BOUND 2026-11-28");
    }

    private void number(String number, String state, String heldSince) {
        jdbc.sql("INSERT INTO ledger_number (number, state, cancelled_on, held_since, first_checked, last_checked, nights_checked) "
                        + "VALUES (?, ?, '2026-08-20', ?, DATE '2026-11-28', DATE '2026-11-29', 1)")
                .params(number, state, heldSince == null ? null : LocalDate.parse(heldSince)).update();
    }
}
