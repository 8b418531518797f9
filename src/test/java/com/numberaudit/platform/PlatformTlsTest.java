package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.numberaudit.AuditOutput;
import com.numberaudit.NumberAuditApplication;
import com.numberaudit.SampleInput;
import com.numberaudit.audit.AuditRun;
import com.numberaudit.demo.BindingCheckSimulator;
import com.numberaudit.demo.DemoBindings;
import com.numberaudit.demo.SimulatedFaults;
import testsupport.tls.CertificateAuthority;

/**
 * The whole job against platforms served over HTTPS by the simulator, each trusted through a Spring
 * Boot SSL bundle of PEM files made by the test ({@code spring.ssl.bundle.pem.<name>}). With the
 * right CA, host name and client certificate the verdicts are those over plain http; whatever else
 * the handshake meets, the platform's numbers end undetermined, never clean, and the log says why.
 */
@ExtendWith(OutputCaptureExtension.class)
class PlatformTlsTest {

    private static final String DATE = "2026-11-28";
    private static final int COUNT = 40;
    private static final List<String> NUMBERS = SampleInput.mobileNumbers(COUNT, 11);
    private static final CertificateAuthority PLATFORM_CA = CertificateAuthority.create("platform CA");
    private static final CertificateAuthority OTHER_CA = CertificateAuthority.create("another platform's CA");
    private static final CertificateAuthority CLIENT_CA = CertificateAuthority.create("carrier client CA");

    @TempDir
    Path work;

    private final List<BindingCheckSimulator> simulators = new ArrayList<>();

    @AfterEach
    void stopSimulators() {
        simulators.forEach(BindingCheckSimulator::close);
    }

    @Test
    void eachPlatformTrustedThroughItsOwnBundleAnswersAsOverHttp() throws IOException {
        URI secure = https(PLATFORM_CA.issue("secure", "DNS:localhost", "IP:127.0.0.1").serverContext(null), false, "secure");
        URI other = https(OTHER_CA.issue("other", "DNS:localhost", "IP:127.0.0.1").serverContext(null), false, "other");
        URI plain = http("plain");

        int exit = audit(Map.of(
                "spring.ssl.bundle.pem.platform.truststore.certificate", PLATFORM_CA.writeCertificate(work.resolve("ca.crt")).toString(),
                "spring.ssl.bundle.pem.other.truststore.certificate", OTHER_CA.writeCertificate(work.resolve("other-ca.crt")).toString(),
                "audit.platforms.secure.url", secure.toString(), "audit.platforms.secure.ssl-bundle", "platform",
                "audit.platforms.other.url", other.toString(), "audit.platforms.other.ssl-bundle", "other",
                "audit.platforms.plain.url", plain.toString()));

        assertThat(exit).isZero();
        assertThat(verdicts()).isEqualTo(answered(List.of("secure", "other")));
    }

    @Test
    void mutualTlsAnswersWithTheBundlesClientCertificate() throws IOException {
        URI secure = https(PLATFORM_CA.issue("secure", "IP:127.0.0.1").serverContext(CLIENT_CA), true, "secure");
        CertificateAuthority.PemFiles client = CLIENT_CA.issue("number-audit").write(work, "client");

        int exit = audit(Map.of(
                "spring.ssl.bundle.pem.mutual.truststore.certificate", PLATFORM_CA.writeCertificate(work.resolve("ca.crt")).toString(),
                "spring.ssl.bundle.pem.mutual.keystore.certificate", client.certificate().toString(),
                "spring.ssl.bundle.pem.mutual.keystore.private-key", client.privateKey().toString(),
                "audit.platforms.secure.url", secure.toString(), "audit.platforms.secure.ssl-bundle", "mutual"));

        assertThat(exit).isZero();
        assertThat(verdicts()).isEqualTo(answered(List.of("secure")));
    }

    @Test
    void aBundleThatTrustsAnotherCaLeavesEveryNumberUndetermined(CapturedOutput output) throws IOException {
        URI secure = https(PLATFORM_CA.issue("secure", "IP:127.0.0.1").serverContext(null), false, "secure");

        int exit = audit(Map.of(
                "spring.ssl.bundle.pem.platform.truststore.certificate", OTHER_CA.writeCertificate(work.resolve("other-ca.crt")).toString(),
                "audit.platforms.secure.url", secure.toString(), "audit.platforms.secure.ssl-bundle", "platform"));

        assertThat(exit).as("a platform without a TLS handshake is down: exit 3").isEqualTo(AuditRun.PLATFORM_DOWN);
        assertThat(verdicts()).isEqualTo(undetermined("secure:TLS_HANDSHAKE"));
        assertThat(noAnswerLines(output)).first().asString()
                .startsWith("secure: no answer for 10 ids: TLS_HANDSHAKE: PKIX path building failed");
    }

    @Test
    void aCertificateForAnotherHostLeavesEveryNumberUndeterminedWhetherTheUrlNamesAnAddressOrAHost(CapturedOutput output)
            throws IOException {
        SSLContext elsewhere = PLATFORM_CA.issue("platform.example", "DNS:platform.example").serverContext(null);
        URI byAddress = https(elsewhere, false, "by-address");
        URI byName = URI.create(byAddress.toString().replace("127.0.0.1", "localhost").replace("by-address", "by-name"));

        int exit = audit(Map.of(
                "spring.ssl.bundle.pem.platform.truststore.certificate", PLATFORM_CA.writeCertificate(work.resolve("ca.crt")).toString(),
                "audit.platforms.by-address.url", byAddress.toString(), "audit.platforms.by-address.ssl-bundle", "platform",
                "audit.platforms.by-name.url", byName.toString(), "audit.platforms.by-name.ssl-bundle", "platform"));

        assertThat(exit).as("a platform without a TLS handshake is down: exit 3").isEqualTo(AuditRun.PLATFORM_DOWN);
        assertThat(verdicts()).isEqualTo(undetermined("by-address:TLS_HANDSHAKE;by-name:TLS_HANDSHAKE"));
        assertThat(noAnswerLines(output)).contains(
                "by-address: no answer for 10 ids: TLS_HANDSHAKE: No subject alternative names matching IP address 127.0.0.1 found",
                "by-name: no answer for 10 ids: TLS_HANDSHAKE: No subject alternative DNS name matching localhost found.");
    }

    /**
     * Under TLS 1.3 the client's side of the handshake is over before the server checks for its
     * certificate; the JDK's HttpsServer then closes the connection without the TLS alert, so the
     * client can only see a closed connection, or, when the server is slow to close it (seen on a
     * loaded machine), no answer within the time-out. A server that sends the alert is in {@link TlsHandshakeTest}.
     */
    @Test
    void aServerThatDemandsAClientCertificateAndGetsNoneLeavesEveryNumberUndetermined() throws IOException {
        URI secure = https(PLATFORM_CA.issue("secure", "IP:127.0.0.1").serverContext(CLIENT_CA), true, "secure");

        int exit = audit(Map.of(
                "spring.ssl.bundle.pem.platform.truststore.certificate", PLATFORM_CA.writeCertificate(work.resolve("ca.crt")).toString(),
                "audit.platforms.secure.url", secure.toString(), "audit.platforms.secure.ssl-bundle", "platform"));

        assertThat(verdicts()).hasSize(COUNT).allSatisfy((number, verdict) ->
                assertThat(verdict).matches("UNDETERMINED secure:(TLS_HANDSHAKE|CONNECTION_FAILED|TIMEOUT)"));
        assertThat(exit).as("no usable answer all night, however the failure was seen: down").isEqualTo(AuditRun.PLATFORM_DOWN);
    }

    @Test
    void anHttpsPlatformWithoutABundleIsCheckedAgainstTheJvmsTrustStore(CapturedOutput output) throws IOException {
        URI secure = https(PLATFORM_CA.issue("secure", "IP:127.0.0.1").serverContext(null), false, "secure");

        int exit = audit(Map.of("audit.platforms.secure.url", secure.toString()));

        assertThat(exit).as("a platform without a TLS handshake is down: exit 3").isEqualTo(AuditRun.PLATFORM_DOWN);
        assertThat(verdicts()).isEqualTo(undetermined("secure:TLS_HANDSHAKE"));
        assertThat(noAnswerLines(output)).first().asString()
                .startsWith("secure: no answer for 10 ids: TLS_HANDSHAKE: PKIX path building failed");
    }

    /** With every platform answering: every tenth number from the 3rd bound on {@code secure}, from the 7th on {@code other}. */
    private static Map<String, String> answered(List<String> platforms) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < COUNT; i++) {
            String boundOn = i % 10 == 3 ? "secure" : i % 10 == 7 ? "other" : null;
            expected.put(NUMBERS.get(i), boundOn != null && platforms.contains(boundOn) ? "BOUND " + boundOn : "CLEAN");
        }
        return expected;
    }

    private static Map<String, String> undetermined(String reason) {
        Map<String, String> expected = new LinkedHashMap<>();
        NUMBERS.forEach(number -> expected.put(number, "UNDETERMINED " + reason));
        return expected;
    }

    private URI https(SSLContext tls, boolean needClientAuth, String platformId) throws IOException {
        BindingCheckSimulator simulator = BindingCheckSimulator.startHttps(0, bindings(), id -> SimulatedFaults.NONE, tls, needClientAuth);
        simulators.add(simulator);
        return simulator.baseUrl(platformId);
    }

    private URI http(String platformId) throws IOException {
        BindingCheckSimulator simulator = BindingCheckSimulator.start(0, bindings(), id -> SimulatedFaults.NONE);
        simulators.add(simulator);
        return simulator.baseUrl(platformId);
    }

    private static DemoBindings bindings() {
        StringBuilder csv = new StringBuilder("number,platform,status,accounts\n");
        for (int i = 0; i < COUNT; i++) {
            if (i % 10 == 3) {
                csv.append(NUMBERS.get(i)).append(",secure,BOUND,1\n");
            } else if (i % 10 == 7) {
                csv.append(NUMBERS.get(i)).append(",other,BOUND,1\n");
            }
        }
        return DemoBindings.read(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), "test bindings");
    }

    /** Runs the job with only the platforms {@code properties} set up, in batches of 10, one in flight, retried once. */
    private int audit(Map<String, String> properties) throws IOException {
        Path input = SampleInput.writeInput(work.resolve("input/pending.csv"), NUMBERS);
        List<String> args = new ArrayList<>(List.of("--audit.input=" + input, "--audit.output=" + work.resolve("output"),
                "--audit.date=" + DATE, "--audit.simulator.enabled=false"));
        args.addAll(SampleInput.shippedPlatformsOff());
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        properties.keySet().stream().filter(key -> key.startsWith("audit.platforms.") && key.endsWith(".url"))
                .map(key -> key.substring(0, key.length() - ".url".length()))
                .forEach(platform -> args.addAll(List.of("--" + platform + ".batch-size=10", "--" + platform + ".max-concurrency=1",
                        "--" + platform + ".retry.max-attempts=2", "--" + platform + ".retry.initial-backoff=10ms")));
        return NumberAuditApplication.run(args.toArray(String[]::new));
    }

    /** number -> "CLEAN" | "BOUND <platforms>" | "UNDETERMINED <reason>", from the result files. */
    private Map<String, String> verdicts() {
        AuditOutput output = new AuditOutput(work.resolve("output").resolve(DATE));
        Map<String, String> verdicts = new LinkedHashMap<>();
        output.rows("clean.csv").forEach(row -> verdicts.put(row.get(0), "CLEAN"));
        output.rows("bound.csv").forEach(row -> verdicts.put(row.get(0), "BOUND " + row.get(2)));
        output.rows("undetermined.csv").forEach(row -> verdicts.put(row.get(0), "UNDETERMINED " + row.get(3)));
        assertThat(output.dataRows()).isEqualTo(COUNT);
        Map<String, String> inInputOrder = new LinkedHashMap<>();
        NUMBERS.forEach(number -> inInputOrder.put(number, verdicts.get(number)));
        return inInputOrder;
    }

    /** The first no-answer line of each platform and reason, up to its "(the first; …)". */
    private static List<String> noAnswerLines(CapturedOutput output) {
        return Pattern.compile("[a-z-]+: no answer for \\d+ ids: .*?(?= \\(the first;)").matcher(output.getOut()).results()
                .map(MatchResult::group).toList();
    }
}
