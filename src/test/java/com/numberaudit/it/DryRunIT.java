package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.AuditOutput;
import com.numberaudit.SampleInput;

/**
 * {@code --audit.dry-run=true} against a platform of the test's own on loopback, configured in an
 * {@code application.yml} in the working directory: it reads the input as a run would, prints what
 * the platform would be asked, and asks nothing; the real run after it behaves as a first run.
 */
@Timeout(180)
class DryRunIT {

    private static final String DATE = "2026-11-28";
    private static final String TOKEN = "tok-dry-5ecret-41c7";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private HttpServer platform;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.stop(0);
        }
    }

    @Test
    void aDryRunAsksNothingWritesNothingAndTheRunAfterItIsAFirstRun() throws IOException, SQLException {
        List<String> numbers = SampleInput.mobileNumbers(600, 77);
        Path input = SampleInput.writeInput(dir.resolve("input/a.csv"), numbers.subList(0, 500));
        Files.writeString(input, numbers.get(7) + ",2026-08-20\nnot-a-number,2026-08-20\n", StandardOpenOption.APPEND);
        SampleInput.writeInput(dir.resolve("input/b.csv"), numbers.subList(500, 600));
        Files.writeString(dir.resolve("input/b.csv"), numbers.get(8) + ",2026-08-20\n", StandardOpenOption.APPEND);
        serveNotBound();
        Files.writeString(dir.resolve("indie-token"), TOKEN + "\n");
        Files.writeString(dir.resolve("application.yml"), """
                audit:
                  output: audit-results
                  platforms:
                    indie:
                      url: http://127.0.0.1:%d
                      token-file: indie-token
                      batch-size: 100
                      rate-limit: 5
                """.formatted(platform.getAddress().getPort()));
        List<String> args = new ArrayList<>(List.of("--audit.input=input", "--audit.date=" + DATE));
        args.addAll(SampleInput.shippedPlatformsOff());
        Path output = dir.resolve("audit-results");

        List<String> dry = new ArrayList<>(args);
        dry.add("--audit.dry-run=true");
        JarRun.Result dryRun = JarRun.run(dir, "dry", dry);

        assertThat(dryRun.exitCode()).as(dryRun.describe()).isZero();
        assertThat(dryRun.stdout()).as(dryRun.describe())
                .contains("number-audit " + DATE + ": DRY RUN - nothing is asked of any platform, no result is written and no run is recorded")
                .contains("Mode: production")
                .contains("Input: 603 row(s) in 2 file(s) of " + dir.resolve("input") + ": 600 number(s) to check, 3 rejected (INVALID 1, DUPLICATE 2)")
                .contains("Ledger: 0 held number(s) re-audited after the input")
                .containsPattern("indie +binding-check-api +http://127\\.0\\.0\\.1:" + platform.getAddress().getPort()
                        + " +E164 +token \\(file\\) +600 +6 +at least 2 s \\(5/s\\)")
                .contains("Dry run: the configuration and the input are fine; a real run would ask 1 platform(s) about 600 number(s) "
                        + "and take at least 2 s.");
        assertThat(dryRun.stdout() + dryRun.stderr()).doesNotContain(TOKEN);
        assertThat(requests).as("requests the platform received during the dry run").hasValue(0);
        assertThat(output.resolve(DATE)).doesNotExist();
        assertThat(output.resolve(".incomplete")).doesNotExist();
        assertThat(rows(output, "select count(*) from BATCH_JOB_EXECUTION")).isZero();
        assertThat(rows(output, "select count(*) from audit_run_lease")).isZero();
        assertThat(rows(output, "select count(*) from ledger_night")).isZero();

        JarRun.Result real = JarRun.run(dir, "real", args);

        assertThat(real.exitCode()).as(real.describe()).isZero();
        assertThat(real.stdout()).contains("number-audit " + DATE + ": 603 rows from 2 file(s)").doesNotContain("already completed", "DRY RUN");
        assertThat(requests.get()).isEqualTo(6);
        AuditOutput results = new AuditOutput(output.resolve(DATE));
        assertThat(results.numbers("clean.csv")).containsExactlyInAnyOrderElementsOf(numbers);
        assertThat(results.rows("rejected.csv")).hasSize(3);
        assertThat(rows(output, "select count(*) from BATCH_JOB_EXECUTION")).isOne();
        assertThat(Files.readString(output.resolve("logs").resolve("number-audit-" + DATE + ".log")))
                .as("the night's log holds the dry run and the run").contains("DRY RUN", "Results: ").doesNotContain(TOKEN);
    }

    private static long rows(Path output, String query) throws SQLException {
        try (Connection db = DriverManager.getConnection(JarRun.defaultRepositoryUrl(output), "", "");
             Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A Binding Check API that counts its requests and answers NOT_BOUND for every id. */
    private void serveNotBound() throws IOException {
        platform = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        platform.createContext("/binding-checks", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
                List<String> entries = new ArrayList<>();
                for (JsonNode id : request.get("ids")) {
                    entries.add("{\"id\": \"" + id.asString() + "\", \"status\": \"NOT_BOUND\"}");
                }
                byte[] body = ("{\"requestId\": \"r-" + requests.get() + "\", \"results\": [" + String.join(", ", entries) + "]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        platform.start();
    }
}
