package com.numberaudit.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import testsupport.db.OnH2AndPostgreSQL;
import testsupport.db.RepositoryDatabase;

/**
 * What one chunk leaves in the ledger, on both databases: the trail of every number, the request
 * behind every answer, and a row for every number held tonight or released from an earlier hold;
 * all of it in the chunk's transaction, so a rolled-back chunk leaves nothing.
 */
class LedgerTest extends LedgerDatabaseTest {

    private static final List<String> PLATFORMS = List.of("alipay", "jd", "wechat");
    private static final Night NIGHT_1 = new Night(LocalDate.of(2026, 11, 28), 0);
    private static final Night NIGHT_2 = new Night(LocalDate.of(2026, 11, 29), 0);
    private static final MobileNumber CLEAN = new MobileNumber(13700001234L);
    private static final MobileNumber BOUND = new MobileNumber(13832738807L);
    private static final MobileNumber UNANSWERED = new MobileNumber(13912345678L);
    private static final MobileNumber WAITING = new MobileNumber(15011112222L);

    private JdbcClient jdbc;
    private Ledger ledger;

    void open(RepositoryDatabase database) {
        openDatabase(database);
        jdbc = fixture.jdbc;
        ledger = fixture.ledger(PLATFORMS);
    }

    @OnH2AndPostgreSQL
    void a_chunk_leaves_every_number_in_the_trail_and_the_held_ones_in_the_ledger(RepositoryDatabase database) {
        open(database);
        String first = "11111111-0000-0000-0000-000000000001";
        String second = "11111111-0000-0000-0000-000000000002";
        String ticket = "11111111-0000-0000-0000-000000000003";

        record(NIGHT_1,
                entry(0, CLEAN, null, notBound(first), notBound(first), notBound(first)),
                entry(1, BOUND, null, BindingAnswer.bound(2, first), notBound(first), BindingAnswer.bound(1, first)),
                entry(3, UNANSWERED, null, notBound(second), BindingAnswer.noAnswer("HTTP_500", second), notBound(second)),
                entry(4, WAITING, null, notBound(second), notBound(second), BindingAnswer.pending("t-1", ticket)));

        assertThat(rows("SELECT number, state, platforms, reasons, held_since, nights_checked FROM ledger_number ORDER BY number"))
                .as("a number clean at its first check has no row; the held ones have theirs")
                .containsExactly(
                        List.of("13832738807", "BOUND", "alipay;wechat", "alipay:BOUND;wechat:BOUND", "2026-11-28", "1"),
                        List.of("13912345678", "UNDETERMINED", "jd", "jd:HTTP_500", "2026-11-28", "1"),
                        List.of("15011112222", "PENDING", "wechat", "wechat:PENDING", "2026-11-28", "1"));
        assertThat(trail(NIGHT_1)).containsExactlyInAnyOrder(
                "13700001234 0 CLEAN input",
                "13832738807 1 BOUND input alipay=BOUND:2 wechat=BOUND:1",
                "13912345678 3 UNDETERMINED input jd=HTTP_500",
                "15011112222 4 PENDING input wechat=PENDING");
        assertThat(rows("SELECT platform, first_seq, last_seq, correlator, ticket FROM ledger_request ORDER BY platform, first_seq"))
                .as("per platform, which request answered which numbers")
                .containsExactly(
                        List.of("alipay", "0", "1", first, "null"), List.of("alipay", "3", "4", second, "null"),
                        List.of("jd", "0", "1", first, "null"), List.of("jd", "3", "4", second, "null"),
                        List.of("wechat", "0", "1", first, "null"), List.of("wechat", "3", "3", second, "null"),
                        List.of("wechat", "4", "4", ticket, "t-1"));
    }

    @OnH2AndPostgreSQL
    void a_held_number_keeps_the_night_its_hold_began_counts_its_nights_and_leaves_the_held_set_once_clean(RepositoryDatabase database) {
        open(database);
        record(NIGHT_1, entry(0, BOUND, null, BindingAnswer.bound(1, "c1"), notBound("c1"), notBound("c1")));
        record(NIGHT_2, entry(0, BOUND, NIGHT_1.date(), notBound("c2"), BindingAnswer.bound(1, "c2"), notBound("c2")));

        assertThat(rows("SELECT state, platforms, held_since, first_checked, last_checked, nights_checked FROM ledger_number"))
                .containsExactly(List.of("BOUND", "jd", "2026-11-28", "2026-11-28", "2026-11-29", "2"));

        Night night3 = new Night(LocalDate.of(2026, 12, 1), 0);
        record(night3, entry(7, BOUND, NIGHT_1.date(), notBound("c3"), notBound("c3"), notBound("c3")));

        assertThat(rows("SELECT COUNT(*) FROM ledger_number")).as("released: no longer held, its row gone").containsExactly(List.of("0"));
        assertThat(trail(night3)).containsExactly("13832738807 7 CLEAN input");
    }

    @OnH2AndPostgreSQL
    void a_number_held_again_after_its_release_starts_a_new_hold(RepositoryDatabase database) {
        open(database);
        record(NIGHT_1, entry(0, BOUND, null, BindingAnswer.bound(1, "c1"), notBound("c1"), notBound("c1")));
        record(NIGHT_2, entry(0, BOUND, NIGHT_1.date(), notBound("c2"), notBound("c2"), notBound("c2")));
        Night night3 = new Night(LocalDate.of(2026, 12, 1), 0);

        record(night3, entry(0, BOUND, null, notBound("c3"), BindingAnswer.noAnswer("TIMEOUT", "c3"), notBound("c3")));

        assertThat(rows("SELECT state, held_since, first_checked, nights_checked FROM ledger_number"))
                .as("a new hold: its own first night and count").containsExactly(List.of("UNDETERMINED", "2026-12-01", "2026-12-01", "1"));
    }

    @OnH2AndPostgreSQL
    void an_adapters_reason_cannot_break_a_line_of_the_trail(RepositoryDatabase database) {
        open(database);
        String reason = "vendor said: busy\n13700001234 9 CLEAN input";

        record(NIGHT_1, entry(0, UNANSWERED, null, notBound("c1"), BindingAnswer.noAnswer(reason, "c1"), notBound("c1")));

        assertThat(trail(NIGHT_1)).containsExactly("13912345678 0 UNDETERMINED input jd=vendor_said:_busy_13700001234_9_CLEAN_input");
        assertThat(TrailLine.parse(trail(NIGHT_1).get(0)).answerOf("jd")).isEqualTo("vendor_said:_busy_13700001234_9_CLEAN_input");
    }

    @OnH2AndPostgreSQL
    void a_rerun_of_an_earlier_date_never_overrides_what_a_later_night_found(RepositoryDatabase database) {
        open(database);
        record(NIGHT_1, entry(0, BOUND, null, notBound("c1"), BindingAnswer.noAnswer("TIMEOUT", "c1"), notBound("c1")));
        record(NIGHT_2, entry(0, BOUND, NIGHT_1.date(), notBound("c2"), notBound("c2"), BindingAnswer.bound(1, "c2")));

        record(new Night(NIGHT_1.date(), 1), entry(0, BOUND, NIGHT_1.date(), notBound("r1"), notBound("r1"), notBound("r1")));

        assertThat(rows("SELECT state, platforms, held_since, last_checked, nights_checked FROM ledger_number"))
                .as("the later night found it BOUND: a rerun of the date before cannot release it")
                .containsExactly(List.of("BOUND", "wechat", "2026-11-28", "2026-11-29", "2"));
        assertThat(trail(new Night(NIGHT_1.date(), 1))).as("the rerun's own answers stay in the trail").containsExactly("13832738807 0 CLEAN input");
    }

    @OnH2AndPostgreSQL
    void a_rerun_of_an_earlier_date_leaves_the_tickets_of_a_later_night_alone(RepositoryDatabase database) {
        open(database);
        record(NIGHT_1, entry(0, WAITING, null, notBound("c1"), BindingAnswer.pending("t-1", "c1"), notBound("c1")));
        fixture.record(ledger, NIGHT_2, List.of(entry(0, WAITING, NIGHT_1.date(), notBound("c2"), BindingAnswer.pending("t-1", "c1"),
                BindingAnswer.pending("t-2", "c2"))), OpenTickets.load(jdbc));

        fixture.record(ledger, new Night(NIGHT_1.date(), 1), List.of(entry(0, WAITING, NIGHT_1.date(), notBound("r1"),
                BindingAnswer.notBound("r1"), BindingAnswer.pending("t-9", "r1"))), OpenTickets.load(jdbc));

        assertThat(rows("SELECT platform, ticket, issued_on FROM ledger_ticket ORDER BY platform"))
                .as("the later night's tickets, not the rerun's")
                .containsExactly(List.of("jd", "t-1", "2026-11-28"), List.of("wechat", "t-2", "2026-11-29"));
    }

    @OnH2AndPostgreSQL
    void a_number_waits_for_its_ticket_from_the_night_it_was_given_until_it_is_answered(RepositoryDatabase database) {
        open(database);
        record(NIGHT_1, entry(0, WAITING, null, notBound("c1"), BindingAnswer.pending("t-1", "c1"), notBound("c1")));
        assertThat(rows("SELECT number, platform, ticket, issued_on, correlator FROM ledger_ticket"))
                .containsExactly(List.of("15011112222", "jd", "t-1", "2026-11-28", "c1"));

        OpenTickets open = OpenTickets.load(jdbc);
        fixture.record(ledger, NIGHT_2, List.of(entry(0, WAITING, NIGHT_1.date(), notBound("c2"), BindingAnswer.pending("t-1", "poll-2"),
                notBound("c2"))), open);
        assertThat(rows("SELECT ticket, issued_on, correlator FROM ledger_ticket"))
                .as("still open: the night it was given, and the request that got it").containsExactly(List.of("t-1", "2026-11-28", "c1"));

        Night night3 = new Night(LocalDate.of(2026, 11, 30), 0);
        fixture.record(ledger, night3, List.of(entry(0, WAITING, NIGHT_1.date(), notBound("c3"),
                BindingAnswer.notBound("poll-3").withTicket("t-1"), notBound("c3"))), OpenTickets.load(jdbc));
        assertThat(rows("SELECT COUNT(*) FROM ledger_ticket")).as("answered: waits no more").containsExactly(List.of("0"));
        assertThat(rows("SELECT COUNT(*) FROM ledger_number")).as("released").containsExactly(List.of("0"));
        assertThat(rows("SELECT correlator, ticket FROM ledger_request WHERE run_date = DATE '2026-11-30' AND platform = 'jd'"))
                .as("the late answer's request: the poll, under the ticket").containsExactly(List.of("poll-3", "t-1"));
    }

    @OnH2AndPostgreSQL
    void an_expired_ticket_is_dropped_and_a_new_one_replaces_it(RepositoryDatabase database) {
        open(database);
        record(NIGHT_1, entry(0, WAITING, null, notBound("c1"), BindingAnswer.pending("t-1", "c1"), notBound("c1")));
        fixture.record(ledger, NIGHT_2, List.of(entry(0, WAITING, NIGHT_1.date(), notBound("c2"),
                BindingAnswer.noAnswer(BindingAnswer.EXPIRED, "c1").withTicket("t-1"), BindingAnswer.pending("t-2", "c2"))), OpenTickets.load(jdbc));

        assertThat(rows("SELECT platform, ticket, issued_on FROM ledger_ticket")).containsExactly(List.of("wechat", "t-2", "2026-11-29"));
        assertThat(rows("SELECT state, reasons FROM ledger_number")).containsExactly(List.of("UNDETERMINED", "jd:EXPIRED;wechat:PENDING"));
    }

    @OnH2AndPostgreSQL
    void a_chunk_rolled_back_leaves_nothing_in_the_ledger(RepositoryDatabase database) {
        open(database);

        assertThatThrownBy(() -> fixture.transaction.executeWithoutResult(status -> {
            ledger.record(NIGHT_1, List.of(entry(0, BOUND, null, BindingAnswer.bound(1, "c1"), notBound("c1"), notBound("c1"))),
                    OpenTickets.none());
            throw new IllegalStateException("the chunk's commit fails");
        })).hasMessage("the chunk's commit fails");

        for (String table : List.of("ledger_number", "ledger_trail", "ledger_request")) {
            assertThat(jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single()).as(table).isZero();
        }
    }

    private void record(Night night, LedgerEntry... entries) {
        fixture.record(ledger, night, List.of(entries));
    }

    private static LedgerEntry entry(long seq, MobileNumber number, LocalDate heldSince, BindingAnswer... answers) {
        return new LedgerEntry(seq, number, "2026-08-20", heldSince, false, answers);
    }

    private static BindingAnswer notBound(String correlator) {
        return BindingAnswer.notBound(correlator);
    }

    private List<List<String>> rows(String sql) {
        return jdbc.sql(sql).query((rs, n) -> {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.add(String.valueOf(rs.getObject(i) instanceof java.sql.Date date ? date.toLocalDate() : rs.getObject(i)));
            }
            return row;
        }).list();
    }

    private List<String> trail(Night night) {
        return jdbc.sql("SELECT entries FROM ledger_trail WHERE run_date = ? AND rerun = ?").params(night.date(), night.rerun())
                .query(String.class).list().stream().flatMap(String::lines).toList();
    }
}
