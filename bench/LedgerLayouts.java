import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import com.numberaudit.ledger.Ledger;
import com.numberaudit.ledger.LedgerEntry;
import com.numberaudit.ledger.Night;
import com.numberaudit.ledger.OpenTickets;
import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;

/**
 * bench/ledger-layouts.sh: the CPU one night's trail costs in the default job repository (H2, file,
 * WRITE_DELAY=0), written in chunks of 5,000 numbers with one commit each, 16 platforms, 1 % of the
 * numbers bound somewhere, for four ways of laying the trail out:
 * <ul>
 * <li>answers: a row per platform answer (number, night, platform, answer, x-correlator), indexed by number</li>
 * <li>numbers: a row per number and night, keyed by the number (so a history is one look-up), every answer and
 * correlator in it</li>
 * <li>appended: a row per number and night, appended in the night's order (no look-up by number), the answers
 * that are not NOT_BOUND in it</li>
 * <li>pages: what number-audit does ({@link Ledger}): per chunk a page per last two digits, and the requests behind
 * the answers</li>
 * </ul>
 * Usage: {@code java LedgerLayouts <layout> <numbers> <h2 file>}; prints the process CPU seconds of the writes.
 */
public class LedgerLayouts {

    private static final int CHUNK = 5_000;
    private static final List<String> PLATFORMS = List.of("alipay", "baidu", "bilibili", "ctrip", "didi", "douyin", "jd", "kuaishou",
            "meituan", "netease", "pinduoduo", "qq", "taobao", "wechat", "weibo", "xiaohongshu");
    private static final Night NIGHT = new Night(LocalDate.of(2026, 11, 28), 0);

    public static void main(String[] args) throws Exception {
        String layout = args[0];
        int count = Integer.parseInt(args[1]);
        Connection connection = DriverManager.getConnection("jdbc:h2:file:" + args[2] + ";WRITE_DELAY=0", "", "");
        try (Statement sql = connection.createStatement()) {
            sql.execute(switch (layout) {
                case "answers" -> "CREATE TABLE trail (number VARCHAR(11) NOT NULL, run_date DATE NOT NULL, rerun INTEGER NOT NULL, "
                        + "platform VARCHAR(64) NOT NULL, answer VARCHAR(64) NOT NULL, correlator VARCHAR(36))";
                case "numbers" -> "CREATE TABLE trail (number VARCHAR(11) NOT NULL, run_date DATE NOT NULL, rerun INTEGER NOT NULL, "
                        + "answers VARCHAR(4000) NOT NULL, PRIMARY KEY (number, run_date, rerun))";
                case "appended" -> "CREATE TABLE trail (run_date DATE NOT NULL, rerun INTEGER NOT NULL, seq BIGINT NOT NULL, "
                        + "number VARCHAR(11) NOT NULL, answers VARCHAR(4000) NOT NULL, PRIMARY KEY (run_date, rerun, seq))";
                case "pages" -> ledgerTables();
                default -> throw new IllegalArgumentException("layout: answers, numbers, appended or pages");
            });
            if (layout.equals("answers")) {
                sql.execute("CREATE INDEX trail_number ON trail (number, run_date)");
            }
        }
        List<LedgerEntry> night = night(count);
        long cpu = cpuNanos();
        if (layout.equals("pages")) {
            DataSource single = new SingleConnectionDataSource(connection, true);
            Ledger ledger = new Ledger(new JdbcTemplate(single), PLATFORMS);
            TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(single));
            for (int from = 0; from < count; from += CHUNK) {
                List<LedgerEntry> chunk = night.subList(from, Math.min(count, from + CHUNK));
                transaction.executeWithoutResult(status -> ledger.record(NIGHT, chunk, OpenTickets.none()));
            }
        } else {
            connection.setAutoCommit(false);
            write(connection, layout, night);
        }
        System.out.printf("%s %d %.3f%n", layout, count, (cpuNanos() - cpu) / 1e9);
        connection.close();
    }

    private static void write(Connection connection, String layout, List<LedgerEntry> night) throws Exception {
        java.sql.Date date = java.sql.Date.valueOf(NIGHT.date());
        String insert = switch (layout) {
            case "answers" -> "INSERT INTO trail VALUES (?, ?, 0, ?, ?, ?)";
            case "numbers" -> "INSERT INTO trail VALUES (?, ?, 0, ?)";
            default -> "INSERT INTO trail VALUES (?, 0, ?, ?, ?)";
        };
        try (PreparedStatement rows = connection.prepareStatement(insert)) {
            for (int i = 0; i < night.size(); i++) {
                LedgerEntry entry = night.get(i);
                BindingAnswer[] answers = entry.answers();
                if (layout.equals("answers")) {
                    for (int p = 0; p < answers.length; p++) {
                        rows.setString(1, entry.number().national());
                        rows.setDate(2, date);
                        rows.setString(3, PLATFORMS.get(p));
                        rows.setString(4, answers[p].status().name());
                        rows.setString(5, answers[p].correlator());
                        rows.addBatch();
                    }
                } else {
                    StringBuilder text = new StringBuilder();
                    for (int p = 0; p < answers.length; p++) {
                        if (layout.equals("numbers")) {
                            text.append(PLATFORMS.get(p)).append('=').append(answers[p].status()).append('@').append(answers[p].correlator()).append(';');
                        } else if (answers[p].status() != BindingAnswer.Status.NOT_BOUND) {
                            text.append(PLATFORMS.get(p)).append('=').append(answers[p].status()).append(' ');
                        }
                    }
                    if (layout.equals("numbers")) {
                        rows.setString(1, entry.number().national());
                        rows.setDate(2, date);
                        rows.setString(3, text.toString());
                    } else {
                        rows.setDate(1, date);
                        rows.setLong(2, entry.seq());
                        rows.setString(3, entry.number().national());
                        rows.setString(4, text.toString());
                    }
                    rows.addBatch();
                }
                if ((i + 1) % CHUNK == 0 || i == night.size() - 1) {
                    rows.executeBatch();
                    connection.commit();
                }
            }
        }
    }

    /** The night's numbers (distinct, in no order, as input files list them), answered in requests of 500 per platform. */
    private static List<LedgerEntry> night(int count) {
        Random random = new Random(20261128);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        List<LedgerEntry> night = new ArrayList<>(count);
        BindingAnswer[] notBound = new BindingAnswer[PLATFORMS.size()];
        for (int i = 0; i < count; i++) {
            if (i % 500 == 0) {
                for (int p = 0; p < notBound.length; p++) {
                    notBound[p] = BindingAnswer.notBound(UUID.randomUUID().toString());
                }
            }
            long digits;
            do {
                digits = 13_000_000_000L + random.nextInt(900_000_000);
            } while (!seen.add(digits));
            BindingAnswer[] answers = notBound.clone();
            if (i % 100 == 0) {
                answers[13] = BindingAnswer.bound(1, answers[13].correlator());
            }
            night.add(new LedgerEntry(i, new MobileNumber(digits), "2026-08-20", null, false, answers));
        }
        return night;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The ledger's tables, as migration V3 creates them. */
    private static String ledgerTables() throws Exception {
        try (var in = LedgerLayouts.class.getResourceAsStream("/db/migration/V3__audit_ledger.sql")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
