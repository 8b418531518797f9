package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditOutput;
import com.numberaudit.SampleInput;
import com.numberaudit.demo.BindingCheckSimulator;
import com.numberaudit.demo.DemoBindings;
import com.numberaudit.demo.SimulatedFaults;
import testsupport.tls.CertificateAuthority;

/**
 * The packaged jar asks a platform over mutual TLS, trusting it through a PEM bundle made by the
 * test ({@code spring.ssl.bundle.pem.platform}, {@code audit.platforms.secure.ssl-bundle=platform}):
 * the same result files as over plain http; with a bundle that pins another CA, nothing is clean, and the run says the
 * platform was down (exit 3).
 * Plain http to another machine and an unknown bundle are refused before anything runs.
 */
@Timeout(300)
class TlsPlatformIT {

    private static final String DATE = "2026-11-28";
    private static final List<String> RESULT_FILES = List.of("clean.csv", "bound.csv", "undetermined.csv", "rejected.csv");

    @TempDir
    Path dir;

    private final List<BindingCheckSimulator> simulators = new ArrayList<>();
    private List<String> numbers;
    private Path input;
    private DemoBindings bindings;

    @BeforeEach
    void input() throws IOException {
        numbers = SampleInput.mobileNumbers(300, 9090);
        input = SampleInput.writeInput(dir.resolve("input/pending.csv"), numbers);
        Path csv = SampleInput.writeBindings(dir.resolve("bindings.csv"), numbers, "secure", 7);
        bindings = DemoBindings.read(new ByteArrayInputStream(Files.readAllBytes(csv)), csv.toString());
    }

    @AfterEach
    void stop() {
        simulators.forEach(BindingCheckSimulator::close);
    }

    @Test
    void overMutualTlsTheResultsAreThoseOverHttpAndAnotherCaReleasesNothing() throws IOException {
        CertificateAuthority platformCa = CertificateAuthority.create("platform CA");
        CertificateAuthority clientCa = CertificateAuthority.create("carrier client CA");
        BindingCheckSimulator https = BindingCheckSimulator.startHttps(0, bindings, id -> SimulatedFaults.NONE,
                platformCa.issue("secure", "DNS:localhost", "IP:127.0.0.1").serverContext(clientCa), true);
        simulators.add(https);
        BindingCheckSimulator http = BindingCheckSimulator.start(0, bindings, id -> SimulatedFaults.NONE);
        simulators.add(http);
        CertificateAuthority.PemFiles client = clientCa.issue("number-audit").write(dir, "client");
        Path trusted = platformCa.writeCertificate(dir.resolve("platform-ca.crt"));
        Path otherCa = CertificateAuthority.create("another CA").writeCertificate(dir.resolve("other-ca.crt"));

        JarRun.Result plain = JarRun.run(dir, "http", secure("http", http.baseUrl("secure").toString()));
        JarRun.Result mutual = JarRun.run(dir, "mutual-tls", secure("mutual-tls", https.baseUrl("secure").toString(),
                "--spring.ssl.bundle.pem.platform.truststore.certificate=" + trusted,
                "--spring.ssl.bundle.pem.platform.keystore.certificate=" + client.certificate(),
                "--spring.ssl.bundle.pem.platform.keystore.private-key=" + client.privateKey(),
                "--audit.platforms.secure.ssl-bundle=platform"));
        JarRun.Result wrongCa = JarRun.run(dir, "wrong-ca", secure("wrong-ca", https.baseUrl("secure").toString(),
                "--spring.ssl.bundle.pem.platform.truststore.certificate=" + otherCa,
                "--spring.ssl.bundle.pem.platform.keystore.certificate=" + client.certificate(),
                "--spring.ssl.bundle.pem.platform.keystore.private-key=" + client.privateKey(),
                "--audit.platforms.secure.ssl-bundle=platform"));

        assertThat(plain.exitCode()).as(plain.describe()).isZero();
        AuditOutput overHttp = new AuditOutput(dir.resolve("http").resolve(DATE));
        assertThat(overHttp.rows("bound.csv")).hasSize(numbers.size() / 7 + 1);
        assertThat(overHttp.rows("clean.csv")).hasSize(numbers.size() - overHttp.rows("bound.csv").size());

        assertThat(mutual.exitCode()).as(mutual.describe()).isZero();
        for (String file : RESULT_FILES) {
            assertThat(dir.resolve("mutual-tls").resolve(DATE).resolve(file)).as(file)
                    .hasSameBinaryContentAs(dir.resolve("http").resolve(DATE).resolve(file));
        }

        assertThat(wrongCa.exitCode()).as("completed, but the platform was down\n" + wrongCa.describe()).isEqualTo(3);
        AuditOutput pinnedElsewhere = new AuditOutput(dir.resolve("wrong-ca").resolve(DATE));
        assertThat(pinnedElsewhere.rows("clean.csv")).isEmpty();
        assertThat(pinnedElsewhere.rows("bound.csv")).isEmpty();
        assertThat(pinnedElsewhere.rows("undetermined.csv")).hasSize(numbers.size())
                .allSatisfy(row -> assertThat(row.get(3)).isEqualTo("secure:TLS_HANDSHAKE"));
        assertThat(wrongCa.stdout()).containsPattern("secure: no answer for \\d+ ids: TLS_HANDSHAKE: PKIX path building failed")
                .contains("number-audit " + DATE + ": completed, but platform secure was down: 300 numbers held (TLS_HANDSHAKE)");
    }

    @Test
    void plainHttpToAnotherMachineAndAnUnknownBundleAreRefusedBeforeAnythingRuns() {
        List<String> args = onlyThesePlatforms("refused");
        args.addAll(List.of("--audit.platforms.plain.url=http://binding.plain.invalid/v1",
                "--audit.platforms.pinned.url=https://binding.pinned.invalid/v1", "--audit.platforms.pinned.ssl-bundle=pinned-ca",
                "--audit.platforms.allowed.url=http://binding.allowed.invalid/v1", "--audit.platforms.allowed.allow-insecure-http=true"));

        JarRun.Result refused = JarRun.run(dir, "refused", args);

        assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(2);
        assertThat(refused.stderrLines()).containsExactly(
                "number-audit: bad configuration: audit.platforms.pinned.ssl-bundle: no SSL bundle named 'pinned-ca' "
                        + "(spring.ssl.bundle.pem.pinned-ca or .jks.pinned-ca)",
                "number-audit: bad configuration: audit.platforms.plain.url: 'http://binding.plain.invalid/v1' is plain http to "
                        + "another machine, so ids and credentials would cross the network unencrypted: use https://, or set "
                        + "audit.platforms.plain.allow-insecure-http=true");
    }

    private List<String> secure(String output, String url, String... more) {
        List<String> args = onlyThesePlatforms(output);
        args.add("--audit.platforms.secure.url=" + url);
        args.addAll(List.of(more));
        return args;
    }

    private List<String> onlyThesePlatforms(String output) {
        List<String> args = new ArrayList<>(List.of("--audit.input=" + input, "--audit.date=" + DATE, "--audit.output=" + dir.resolve(output),
                "--audit.simulator.enabled=false"));
        args.addAll(SampleInput.shippedPlatformsOff());
        return args;
    }
}
