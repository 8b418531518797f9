package com.numberaudit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.numberaudit.audit.AuditRun;

/**
 * Runs the job with a bearer token, a signing secret and an id key — right ones for some
 * platforms, wrong ones for others, so both success and refusal paths log; inline and from files —
 * with every logger at DEBUG, the project's and the HTTP client's at TRACE, and greps everything
 * printed, and the night's log file, for the secret values; then a dry run of the same set-up.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsStayOutOfLogsTest {

    private static final String TOKEN = "tok-5ecret-9f1c";
    private static final String WRONG_TOKEN = "tok-wr0ng-77aa";
    private static final String SIGNING_SECRET = "hmac-5ecret-31d0";
    private static final String WRONG_SIGNING_SECRET = "hmac-wr0ng-0b2e";
    private static final String ID_KEY = "idkey-5ecret-c4e2";
    private static final String FILE_TOKEN = "tok-f1le-5ecret-e07d";
    private static final String FILE_ID_KEY = "idkey-f1le-5ecret-a9b1";

    @TempDir
    Path work;

    @Test
    void noSecretValueAppearsInAnyLogLine(CapturedOutput output) throws IOException {
        List<String> numbers = SampleInput.mobileNumbers(50, 3);
        Path input = SampleInput.writeInput(work.resolve("input/pending.csv"), numbers);
        List<String> args = new ArrayList<>(List.of(
                "--audit.input=" + input, "--audit.output=" + work.resolve("output"), "--audit.date=2026-11-28",
                "--logging.level.root=DEBUG", "--logging.level.com.numberaudit=TRACE", "--logging.level.org.eclipse.jetty=TRACE",
                "--audit.simulator.faults.wechat.token=" + TOKEN, "--audit.platforms.wechat.token=" + TOKEN,
                "--audit.simulator.faults.qq.token=" + TOKEN, "--audit.platforms.qq.token=" + WRONG_TOKEN,
                "--audit.simulator.faults.alipay.hmac-secret=" + SIGNING_SECRET, "--audit.platforms.alipay.hmac-secret=" + SIGNING_SECRET,
                "--audit.simulator.faults.jd.hmac-secret=" + SIGNING_SECRET, "--audit.platforms.jd.hmac-secret=" + WRONG_SIGNING_SECRET,
                "--audit.simulator.faults.taobao.id-key=" + ID_KEY, "--audit.platforms.taobao.id-type=HMAC-SHA256",
                "--audit.platforms.taobao.id-key=" + ID_KEY,
                "--audit.simulator.faults.douyin.token=" + FILE_TOKEN,
                "--audit.platforms.douyin.token-file=" + Files.writeString(work.resolve("douyin-token"), FILE_TOKEN + "\n"),
                "--audit.simulator.faults.baidu.id-key=" + FILE_ID_KEY, "--audit.platforms.baidu.id-type=HMAC-SHA256",
                "--audit.platforms.baidu.id-key-file=" + Files.writeString(work.resolve("baidu-id-key"), FILE_ID_KEY)));

        assertThat(NumberAuditApplication.run(args.toArray(String[]::new))).as("qq and jd down").isEqualTo(AuditRun.PLATFORM_DOWN);

        AuditOutput result = new AuditOutput(work.resolve("output/2026-11-28"));
        assertThat(result.rows("undetermined.csv")).hasSize(50)
                .allSatisfy(row -> assertThat(row.get(3)).isEqualTo("jd:PLATFORM_DOWN:HTTP_401;qq:PLATFORM_DOWN:HTTP_401"));
        assertThat(output.getAll()).contains("DEBUG", "credentials refused")
                .doesNotContain(TOKEN, WRONG_TOKEN, SIGNING_SECRET, WRONG_SIGNING_SECRET, ID_KEY, FILE_TOKEN, FILE_ID_KEY);

        args.add("--audit.dry-run=true");
        assertThat(NumberAuditApplication.run(args.toArray(String[]::new))).isZero();

        assertThat(output.getOut()).contains("DRY RUN").containsPattern("douyin .* token \\(file\\) ").containsPattern("alipay .* hmac-secret ")
                .doesNotContain(TOKEN, WRONG_TOKEN, SIGNING_SECRET, WRONG_SIGNING_SECRET, ID_KEY, FILE_TOKEN, FILE_ID_KEY);
        assertThat(Files.readString(work.resolve("output/logs/number-audit-2026-11-28.log")))
                .contains("DEBUG", "credentials refused", "DRY RUN")
                .doesNotContain(TOKEN, WRONG_TOKEN, SIGNING_SECRET, WRONG_SIGNING_SECRET, ID_KEY, FILE_TOKEN, FILE_ID_KEY);
    }

    @Test
    void aSecretInAnyRefusedSettingIsNeverEchoedWhileOtherValuesAre(CapturedOutput output) throws IOException {
        int exit = NumberAuditApplication.run("--audit.input=" + work, "--audit.output=" + work.resolve("output"),
                "--audit.platforms.wechat.token= " + TOKEN + " ",             // padded: refused, never shown
                "--audit.platforms.qq.tokne=" + WRONG_TOKEN,                   // misspelt key: refused, value never shown
                "--audit.platforms.jd.hmac-secret=" + SIGNING_SECRET + "${NOT_SET_ANYWHERE}",
                "--audit.platforms.baidu.timeout=soon",                        // not a secret: shown, so the operator sees what was read
                "--audit.platforms.kuaishou.url=http://svc:" + WRONG_SIGNING_SECRET + "@[::1/x");       // user info: masked

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("audit.platforms.wechat.token: a secret must not start or end with white space",
                "audit.platforms.qq.tokne: unknown key (did you mean audit.platforms.qq.token?)",
                "audit.platforms.jd.hmac-secret: ${NOT_SET_ANYWHERE} is not set")
                .contains("audit.platforms.kuaishou.url = 'http://******@[::1/x'")
                .doesNotContain(TOKEN, WRONG_TOKEN, SIGNING_SECRET, WRONG_SIGNING_SECRET);
        try (Stream<Path> logs = Files.list(work.resolve("output/logs"))) {
            assertThat(logs.toList()).singleElement().satisfies(log -> assertThat(Files.readString(log))
                    .contains("audit.platforms.qq.tokne: unknown key").doesNotContain(TOKEN, WRONG_TOKEN, SIGNING_SECRET, WRONG_SIGNING_SECRET));
        }
    }

    @Test
    void aSecretFileThatIsRefusedIsNamedButItsContentNeverShown(CapturedOutput output) throws IOException {
        Path padded = Files.writeString(work.resolve("padded-token"), " " + FILE_TOKEN + "\n\n");
        Path input = SampleInput.writeInput(work.resolve("input/pending.csv"), SampleInput.mobileNumbers(5, 3));

        int exit = NumberAuditApplication.run("--audit.input=" + input, "--audit.output=" + work.resolve("output"),
                "--audit.platforms.douyin.token-file=" + padded);

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("audit.platforms.douyin.token-file: " + padded + ": a secret must not start or end with")
                .doesNotContain(FILE_TOKEN);
    }
}
