package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.AuditOutput;
import com.numberaudit.SampleInput;

/**
 * The packaged jar against platforms it was not written with: a Binding Check API server of the
 * test's own (not the project's simulator) writing its answers the way other servers do, one that
 * gives a key twice, and snapshot exports that cannot be proven complete. Whatever they send, no
 * bound number comes out clean.
 */
@Timeout(300)
class IndependentPlatformIT {

    private static final String DATE = "2026-11-28";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private HttpServer server;
    private List<String> numbers;
    private Set<String> bound;
    private Path input;

    @BeforeEach
    void input() throws IOException {
        numbers = SampleInput.mobileNumbers(600, 4242);
        input = SampleInput.writeInput(dir.resolve("input/pending.csv"), numbers);
        bound = Set.copyOf(numbers.subList(0, 60));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void answersInAnotherServersLayoutGiveExactlyTheVerdicts() throws IOException {
        serve((id, isBound) -> "{\n    \"note\" : {\"source\" : \"ledger\"},\n    \"status\" : \"" + (isBound ? "BOUND" : "NOT_BOUND")
                + "\",\n    " + (isBound ? "\"accounts\" : 2,\n    " : "") + "\"id\" : \"" + id + "\"\n  }");

        JarRun.Result run = runAgainstServer("layout");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        AuditOutput output = new AuditOutput(dir.resolve("layout").resolve(DATE));
        assertThat(output.numbers("bound.csv")).containsExactlyInAnyOrderElementsOf(bound);
        assertThat(output.numbers("clean.csv")).hasSize(numbers.size() - bound.size()).doesNotContainAnyElementsOf(bound);
    }

    @Test
    void aStatusGivenTwiceNeverReleasesTheNumber() throws IOException {
        serve((id, isBound) -> "{\"id\": \"" + id + "\", " + (isBound ? "\"status\": \"BOUND\", \"status\": \"NOT_BOUND\"" : "\"status\": \"NOT_BOUND\"") + "}");

        JarRun.Result run = runAgainstServer("twice");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        AuditOutput output = new AuditOutput(dir.resolve("twice").resolve(DATE));
        assertThat(output.numbers("clean.csv")).hasSize(numbers.size() - bound.size()).doesNotContainAnyElementsOf(bound);
        assertThat(output.rows("undetermined.csv")).hasSize(bound.size())
                .allSatisfy(row -> assertThat(row.subList(2, 4)).containsExactly("indie", "indie:DUPLICATE_KEY"));
    }

    @Test
    void aSnapshotExportThatCannotBeProvenCompleteReleasesNothing() throws IOException {
        Path exports = Files.createDirectories(dir.resolve("exports"));
        StringBuilder full = new StringBuilder("id,accounts\n");
        bound.stream().sorted().forEach(number -> full.append("+86").append(number).append(",1\n"));
        Path export = Files.writeString(exports.resolve("exp-" + DATE + ".csv"), full);
        Files.writeString(exports.resolve(export.getFileName() + ".sha256"), sha256(full.toString()) + "  " + export.getFileName() + "\n");
        assertThat(runSnapshot("verified").exitCode()).isZero();
        assertThat(new AuditOutput(dir.resolve("verified").resolve(DATE)).numbers("bound.csv")).containsExactlyInAnyOrderElementsOf(bound);

        Files.writeString(export, full.substring(0, full.length() / 2 + 1).replaceAll("[^\n]*$", ""));   // cut after a row, sidecar kept
        JarRun.Result truncated = runSnapshot("truncated");
        Files.writeString(export, "id,accounts\n");                                                      // header only, sidecar of the full one
        JarRun.Result headerOnly = runSnapshot("header-only");
        String national = full.toString().replace("+86", "");
        Files.writeString(export, national);
        Files.writeString(exports.resolve(export.getFileName() + ".sha256"), sha256(national) + "  " + export.getFileName() + "\n");
        JarRun.Result nationalForm = runSnapshot("national-form");

        for (JarRun.Result run : List.of(truncated, headerOnly, nationalForm)) {
            assertThat(run.exitCode()).as("completed, but the platform was down: 3\n" + run.describe()).isEqualTo(3);
            AuditOutput output = new AuditOutput(dir.resolve(run.name()).resolve(DATE));
            assertThat(output.rows("clean.csv")).as(run.name()).isEmpty();
            assertThat(output.rows("undetermined.csv")).as(run.name()).hasSize(numbers.size());
        }
        assertThat(Files.readString(dir.resolve("truncated").resolve(DATE).resolve("undetermined.csv"))).contains("exp:SNAPSHOT_UNVERIFIED");
        assertThat(Files.readString(dir.resolve("header-only").resolve(DATE).resolve("undetermined.csv"))).contains("exp:SNAPSHOT_UNVERIFIED");
        assertThat(Files.readString(dir.resolve("national-form").resolve(DATE).resolve("undetermined.csv"))).contains("exp:SNAPSHOT_UNREADABLE");
        assertThat(nationalForm.stdout()).contains("number-audit " + DATE + ": completed, but platform exp was down: 600 numbers held "
                + "(SNAPSHOT_UNREADABLE)");
    }

    /** Answers POST /binding-checks with one entry per asked id, each written by {@code entry(id, bound)}. */
    private void serve(BiFunction<String, Boolean, String> entry) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/binding-checks", exchange -> {
            try (exchange) {
                JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
                List<String> entries = new ArrayList<>();
                for (JsonNode id : request.get("ids")) {
                    entries.add(entry.apply(id.asString(), bound.contains(id.asString().substring(3))));
                }
                byte[] body = ("{\n  \"requestId\" : \"r-1\",\n  \"results\" : [ " + String.join(", ", entries) + " ]\n}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    private JarRun.Result runAgainstServer(String name) {
        List<String> args = onlyOnePlatform(name);
        args.add("--audit.platforms.indie.url=http://127.0.0.1:" + server.getAddress().getPort());
        return JarRun.run(dir, name, args);
    }

    private JarRun.Result runSnapshot(String name) {
        List<String> args = onlyOnePlatform(name);
        args.addAll(List.of("--audit.platforms.exp.adapter=snapshot-file",
                "--audit.platforms.exp.snapshot=" + dir.resolve("exports").resolve("exp-{date}.csv")));
        return JarRun.run(dir, name, args);
    }

    private List<String> onlyOnePlatform(String output) {
        List<String> args = new ArrayList<>(List.of("--audit.input=" + input, "--audit.date=" + DATE, "--audit.output=" + dir.resolve(output)));
        args.addAll(SampleInput.shippedPlatformsOff());
        return args;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
