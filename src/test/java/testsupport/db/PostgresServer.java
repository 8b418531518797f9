package testsupport.db;

import static testsupport.RequiredService.setting;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import testsupport.RequiredService;


/**
 * The PostgreSQL server the tests use, from the environment or system properties:
 * <ul>
 * <li>{@value #URL_KEY}: a JDBC URL of a database the tests may create schemas in (default {@value #DEFAULT_URL})</li>
 * <li>{@value #USER_KEY} / {@value #PASSWORD_KEY}: its user (default {@code postgres}, which needs the right to
 * create schemas there) and password (default none)</li>
 * <li>{@value #REQUIRE_KEY}{@code =true} (set by {@code .ci/run}): an unreachable server fails the PostgreSQL
 * tests instead of skipping them</li>
 * </ul>
 */
public final class PostgresServer {

    public static final String URL_KEY = "NUMBER_AUDIT_TEST_POSTGRES";
    public static final String USER_KEY = "NUMBER_AUDIT_TEST_POSTGRES_USER";
    public static final String PASSWORD_KEY = "NUMBER_AUDIT_TEST_POSTGRES_PASSWORD";
    public static final String REQUIRE_KEY = "NUMBER_AUDIT_REQUIRE_POSTGRES";
    private static final RequiredService SERVICE = new RequiredService("PostgreSQL tests", REQUIRE_KEY);
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    /** Why a server could not be reached, by URL, once known: later tests skip (or fail) at once instead of waiting again. */
    private static final Map<String, String> UNREACHABLE = new ConcurrentHashMap<>();

    private PostgresServer() {
    }

    public static String url() {
        return setting(URL_KEY, DEFAULT_URL);
    }

    public static String user() {
        return setting(USER_KEY, "postgres");
    }

    public static String password() {
        return setting(PASSWORD_KEY, "");
    }

    /** True when {@value #REQUIRE_KEY} is {@code true}: CI, where a skipped PostgreSQL test would hide a gap. */
    public static boolean required() {
        return SERVICE.required();
    }

    /**
     * A connection to {@link #url()} as {@link #user()}. When the server cannot be reached the calling test is
     * skipped (a JUnit assumption whose message names the URL), or fails when {@link #required()}.
     */
    public static Connection connect() {
        return connect(url());
    }

    static Connection connect(String url) {
        String known = UNREACHABLE.get(url);
        if (known != null) {
            return unavailable(known);
        }
        Properties properties = new Properties();
        properties.setProperty("user", user());
        properties.setProperty("password", password());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            String reason = "PostgreSQL not reachable at " + url + " as " + user() + " (" + e.getMessage() + ")";
            UNREACHABLE.put(url, reason);
            return unavailable(reason);
        }
    }

    private static Connection unavailable(String reason) {
        return SERVICE.unavailable(reason, "start it, or set " + URL_KEY + "; ");
    }
}
