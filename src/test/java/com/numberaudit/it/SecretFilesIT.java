package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditOutput;
import com.numberaudit.SampleInput;
import com.numberaudit.TestBinding;
import com.numberaudit.demo.BindingCheckSimulator;
import com.numberaudit.demo.DemoBindings;
import com.numberaudit.demo.SimulatedFaults;

/**
 * The packaged jar with a platform's token, signing secret and id key handed over as files (as a
 * Kubernetes secret volume or systemd's {@code LoadCredential} would): the platform accepts them,
 * the same secrets given inline are the same run (the date is already complete), and a file that
 * is missing or empty, or a secret given both ways, is refused naming key and file, never the content.
 */
@Timeout(300)
class SecretFilesIT {

    private static final String DATE = "2026-11-28";
    private static final String TOKEN = "tok-f1le-5ecret-51d3";
    private static final String SIGNING_SECRET = "hmac-f1le-5ecret-0c7a";
    private static final String ID_KEY = "idkey-f1le-5ecret-9e44";

    @TempDir
    Path dir;

    private BindingCheckSimulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void secretsFromFilesAreAcceptedAndAreTheSameRunAsTheSameSecretsInline() throws IOException {
        List<String> numbers = SampleInput.mobileNumbers(200, 5150);
        Path input = SampleInput.writeInput(dir.resolve("input/pending.csv"), numbers);
        Path csv = SampleInput.writeBindings(dir.resolve("bindings.csv"), numbers, "guarded", 10);
        SimulatedFaults guarded = TestBinding.bind(SimulatedFaults.class, "token", TOKEN, "hmac-secret", SIGNING_SECRET, "id-key", ID_KEY);
        simulator = BindingCheckSimulator.start(0, DemoBindings.read(new ByteArrayInputStream(Files.readAllBytes(csv)), csv.toString()),
                id -> guarded);
        Path credentials = Files.createDirectories(dir.resolve("credentials"));

        JarRun.Result fromFiles = JarRun.run(dir, "from-files", guarded(input,
                "token-file=" + Files.writeString(credentials.resolve("token"), TOKEN + "\n"),
                "hmac-secret-file=" + Files.writeString(credentials.resolve("hmac-secret"), SIGNING_SECRET + "\r\n"),
                "id-key-file=" + Files.writeString(credentials.resolve("id-key"), ID_KEY)));
        JarRun.Result inline = JarRun.run(dir, "inline", guarded(input, "token=" + TOKEN, "hmac-secret=" + SIGNING_SECRET, "id-key=" + ID_KEY));

        assertThat(fromFiles.exitCode()).as(fromFiles.describe()).isZero();
        AuditOutput output = new AuditOutput(dir.resolve("output").resolve(DATE));
        assertThat(output.rows("bound.csv")).hasSize(numbers.size() / 10);
        assertThat(output.rows("clean.csv")).hasSize(numbers.size() - numbers.size() / 10);
        assertThat(output.rows("undetermined.csv")).isEmpty();
        assertThat(inline.exitCode()).as(inline.describe()).isZero();
        assertThat(inline.stdout()).as(inline.describe()).contains("already completed on");
        assertThat(fromFiles.stdout() + fromFiles.stderr() + inline.stdout() + inline.stderr())
                .doesNotContain(TOKEN, SIGNING_SECRET, ID_KEY);
    }

    @Test
    void aMissingOrEmptyFileOrASecretGivenBothWaysIsRefusedNamingKeyAndFile() throws IOException {
        Path input = SampleInput.writeInput(dir.resolve("input/pending.csv"), SampleInput.mobileNumbers(20, 5150));
        Path missing = dir.resolve("credentials/token");
        Path empty = Files.writeString(dir.resolve("hmac-secret"), "\n");
        Path idKey = Files.writeString(dir.resolve("id-key"), ID_KEY);

        JarRun.Result refused = JarRun.run(dir, "refused", guarded(input, "url=https://binding.guarded.example/v1",
                "token-file=" + missing, "hmac-secret-file=" + empty, "id-key=" + ID_KEY, "id-key-file=" + idKey));

        assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(2);
        assertThat(refused.stderrLines()).containsExactly(
                "number-audit: bad configuration: audit.platforms.guarded.token-file: " + missing + ": no such file",
                "number-audit: bad configuration: audit.platforms.guarded.hmac-secret-file: " + empty + ": empty",
                "number-audit: bad configuration: audit.platforms.guarded.id-key-file: audit.platforms.guarded.id-key is set too; "
                        + "give the secret one way only");
        assertThat(refused.stdout() + refused.stderr()).doesNotContain(ID_KEY);
    }

    /** Only the platform {@code guarded}, at the simulator unless a url is given, hashing ids, with {@code settings} as key=value. */
    private List<String> guarded(Path input, String... settings) {
        List<String> args = new ArrayList<>(List.of("--audit.input=" + input, "--audit.date=" + DATE, "--audit.output=" + dir.resolve("output"),
                "--audit.simulator.enabled=false", "--audit.platforms.guarded.id-type=HMAC-SHA256"));
        args.addAll(SampleInput.shippedPlatformsOff());
        if (List.of(settings).stream().noneMatch(setting -> setting.startsWith("url="))) {
            args.add("--audit.platforms.guarded.url=" + simulator.baseUrl("guarded"));
        }
        List.of(settings).forEach(setting -> args.add("--audit.platforms.guarded." + setting));
        return args;
    }
}
