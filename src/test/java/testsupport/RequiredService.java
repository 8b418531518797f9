package testsupport;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A service some tests need (PostgreSQL, RabbitMQ, Chromium): when it is not there, the calling test is skipped,
 * or fails when {@code requireKey=true} (CI, where a skipped test would hide a gap).
 *
 * @param tests      what runs on it, as the messages name it: "PostgreSQL tests", "report test"
 * @param requireKey the system property or environment variable that makes a missing service a failure
 */
public record RequiredService(String tests, String requireKey) {

    /** A test setting: the system property {@code key}, else the environment variable, else {@code fallback}. */
    public static String setting(String key, String fallback) {
        String value = System.getProperty(key, System.getenv(key));
        return value == null || value.isBlank() ? fallback : value;
    }

    /** True when {@link #requireKey()} is {@code true}. */
    public boolean required() {
        return Boolean.parseBoolean(setting(requireKey, "false"));
    }

    /**
     * Fails the calling test when {@link #required()}, else skips it; never returns.
     *
     * @param reason what is missing, and where
     * @param remedy how to provide it, ending in "; " (or empty)
     */
    public <T> T unavailable(String reason, String remedy) {
        if (required()) {
            return Assertions.fail(reason + "; " + requireKey + "=true, so the " + tests + " must run");
        }
        return Assumptions.abort(reason + ": " + tests + " skipped (" + remedy + requireKey + "=true makes this a failure)");
    }
}
