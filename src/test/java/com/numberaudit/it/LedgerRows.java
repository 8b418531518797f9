package com.numberaudit.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The audit ledger of a finished run's default job repository (the H2 file under
 * {@code <output>/job-repository/}), read back for assertions: the numbers it holds, and one
 * night's trail.
 */
final class LedgerRows {

    /** A number's row: its state, since when it is held (empty once clean) and how many nights it was checked. */
    record Held(String state, String heldSince, int nights) {
    }

    /** A ticket a number waits for: the platform's, and the night it was given. */
    record Ticket(String platform, String ticket, String issuedOn) {
    }

    private final String url;

    LedgerRows(Path output) {
        this.url = "jdbc:h2:file:" + output.resolve("job-repository").resolve("number-audit").toAbsolutePath()
                + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r";
    }

    /** Every row of {@code ledger_number}, by number. */
    Map<String, Held> numbers() throws SQLException {
        Map<String, Held> numbers = new TreeMap<>();
        query("SELECT number, state, held_since, nights_checked FROM ledger_number", rs -> numbers.put(rs.getString(1),
                new Held(rs.getString(2), rs.getString(3) == null ? "" : rs.getString(3), rs.getInt(4))));
        return numbers;
    }

    /** Every row of {@code ledger_ticket}, by number (one platform each here). */
    Map<String, Ticket> tickets() throws SQLException {
        Map<String, Ticket> tickets = new TreeMap<>();
        query("SELECT number, platform, ticket, issued_on FROM ledger_ticket", rs -> tickets.put(rs.getString(1),
                new Ticket(rs.getString(2), rs.getString(3), rs.getString(4))));
        return tickets;
    }

    /** The state the trail of {@code date} (its first audit) gives each number it checked; fails on a number given twice. */
    Map<String, String> trail(String date) throws SQLException {
        Map<String, String> states = new HashMap<>();
        query("SELECT entries FROM ledger_trail WHERE rerun = 0 AND run_date = DATE '" + date + "'", rs -> {
            for (String line : rs.getString(1).split("\n")) {
                String[] fields = line.split(" ");
                if (states.put(fields[0], fields[2]) != null) {
                    throw new IllegalStateException(fields[0] + " is twice in the trail of " + date);
                }
            }
        });
        return states;
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Row row) throws SQLException {
        // the application sets no datasource user, so H2 created the database for the empty user name
        try (Connection db = DriverManager.getConnection(url, "", ""); Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                row.read(rs);
            }
        }
    }
}
