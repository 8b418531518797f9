package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.SampleInput;
import testsupport.db.PostgresServer;

/**
 * A job repository that cannot be reached, or refuses the connection, against the packaged jar:
 * one line naming {@code spring.datasource.url} (never a password in it) and nothing processed.
 * A server that is down exits 1, since the same command works once it is back; a database or a
 * user that does not exist exits 2, since only another configuration helps.
 */
@Timeout(180)
class JobRepositoryConnectionIT {

    private static final String DATE = "2026-11-28";

    @TempDir
    Path dir;

    @Test
    void aServerThatIsDownExits1SayingToRunTheSameCommandAgainWithoutShowingThePassword() throws IOException {
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/audit?password=Pw-in-the-url";

        JarRun.Result result = run("down", url, "audit");

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        assertThat(result.stderrLines()).as(result.describe()).singleElement().asString()
                .startsWith("number-audit: job repository unreachable: spring.datasource.url=" + url.replace("Pw-in-the-url", "******") + ": ")
                .contains("refused")
                .endsWith("run the same command again once it is reachable.");
        assertThat(result.stdout() + result.stderr()).as(result.describe()).doesNotContain("Pw-in-the-url");
        assertNothingProcessed();
    }

    @Test
    void aDatabaseThatDoesNotExistExits2NamingTheUrl() throws Exception {
        String url = PostgresServer.url().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1number_audit_no_such_database");
        reachable();

        JarRun.Result result = run("no-database", url, PostgresServer.user());

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderrLines()).as(result.describe()).singleElement().asString()
                .startsWith("number-audit: bad configuration: spring.datasource.url=" + url + ": the job repository refused: ")
                .contains("database \"number_audit_no_such_database\" does not exist");
        assertNothingProcessed();
    }

    @Test
    void aUserThatDoesNotExistExits2() throws Exception {
        reachable();

        JarRun.Result result = run("no-user", PostgresServer.url(), "number_audit_no_such_user");

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderrLines()).as(result.describe()).singleElement().asString()
                .startsWith("number-audit: bad configuration: spring.datasource.url=" + PostgresServer.url() + ": the job repository refused: ")
                .contains("\"number_audit_no_such_user\"");
        assertNothingProcessed();
    }

    private JarRun.Result run(String name, String url, String user) throws IOException {
        Path input = SampleInput.writeInput(dir.resolve("input/pending.csv"), SampleInput.mobileNumbers(20, 5));
        return JarRun.run(dir, name, List.of("--audit.input=" + input, "--audit.output=" + dir.resolve("output"),
                "--audit.date=" + DATE, "--spring.datasource.url=" + url, "--spring.datasource.username=" + user));
    }

    private void assertNothingProcessed() {
        assertThat(dir.resolve("output").resolve(DATE)).doesNotExist();
        assertThat(dir.resolve("output").resolve(".incomplete")).doesNotExist();
    }

    /** The refusals need a server that answers: skipped (or failed, in CI) like the other PostgreSQL tests without one. */
    private static void reachable() throws Exception {
        try (Connection connection = PostgresServer.connect()) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    /** A loopback port nothing listens on: taken from the system, then let go. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
