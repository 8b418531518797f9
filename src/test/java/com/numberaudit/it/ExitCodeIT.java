package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.numberaudit.SampleInput;

/**
 * The operator contract on exit codes, against the packaged jar: 2 with one line on stderr naming
 * the problem (and nothing processed) for bad configuration or unreadable input, 0 with the
 * results folder printed for a good run.
 */
@Timeout(300)
class ExitCodeIT {

    private static final String DATE = "2026-11-28";

    @TempDir
    Path dir;

    @Test
    void missingInputPathExits2NamingThePath() {
        Path missing = dir.resolve("no-such-input");

        JarRun.Result result = run("missing-input", "--audit.input=" + missing);

        assertRefused(result, missing.toString());
    }

    @Test
    void csvWithoutNumberColumnExits2NamingTheFile() throws IOException {
        Path input = Files.createDirectories(dir.resolve("input"));
        Files.writeString(input.resolve("a-good.csv"), "number,cancelled_on\n13800001111,2026-08-01\n");
        Files.writeString(input.resolve("b-no-number.csv"), "phone,cancelled_on\n13800002222,2026-08-01\n");

        JarRun.Result result = run("no-number-column", "--audit.input=" + input);

        assertRefused(result, "b-no-number.csv", "number");
    }

    @Test
    void impossibleDateExits2NamingAuditDate() throws IOException {
        JarRun.Result result = run("bad-date", "--audit.input=" + sampleInput(), "--audit.date=2026-13-45");

        assertRefused(result, "audit.date", "2026-13-45");
    }

    @ParameterizedTest
    @ValueSource(strings = {"notaurl", "ftp://x"})
    void platformUrlThatIsNotHttpExits2NamingTheKey(String url) throws IOException {
        List<String> args = new ArrayList<>(List.of("--audit.input=" + sampleInput(), "--audit.platforms.wechat.url=" + url));
        SampleInput.SHIPPED_PLATFORMS.stream().filter(id -> !id.equals("wechat")).forEach(id -> args.add("--audit.platforms." + id + ".enabled=false"));

        JarRun.Result result = run("bad-url", args);

        assertRefused(result, "audit.platforms.wechat.url", url);
    }

    @Test
    void everyPlatformDisabledExits2NamingAuditPlatforms() throws IOException {
        List<String> args = new ArrayList<>(List.of("--audit.input=" + sampleInput()));
        args.addAll(SampleInput.shippedPlatformsOff());

        JarRun.Result result = run("all-disabled", args);

        assertRefused(result, "audit.platforms");
    }

    @Test
    void simulatorDisabledWithoutPlatformUrlsExits2NamingTheUrlKey() throws IOException {
        JarRun.Result result = run("no-simulator", "--audit.input=" + sampleInput(), "--audit.simulator.enabled=false");

        assertRefused(result, "audit.simulator.enabled=false", "audit.platforms.<id>.url is not set for 16 platforms ("
                + String.join(", ", SampleInput.SHIPPED_PLATFORMS.stream().sorted().toList()) + ")");
    }

    @Test
    void aPlatformLeftWithoutUrlBesideARealOneIsNeverAnsweredByTheSimulator() throws IOException {
        JarRun.Result result = run("simulator-beside-real", "--audit.input=" + sampleInput(),
                "--audit.platforms.wechat.url=http://127.0.0.1:9/binding");

        assertRefused(result, "audit.platforms.<id>.url is not set for 15 platforms (alipay, baidu, bilibili, ctrip, didi, douyin, jd, "
                + "kuaishou, meituan, netease, pinduoduo, qq, taobao, weibo, xiaohongshu)", "wechat is a real platform");
    }

    @Test
    void aMisspeltKeyIsRefusedWithTheClosestKnownKey() throws IOException {
        JarRun.Result result = run("misspelt", "--audit.input=" + sampleInput(), "--audit.platforms.wechat.ulr=http://127.0.0.1:9/binding");

        assertRefused(result, "audit.platforms.wechat.ulr: unknown key (did you mean audit.platforms.wechat.url?)");
    }

    @Test
    void anUnsetPlaceholderIsRefusedInsteadOfSentAsTheToken() throws IOException {
        JarRun.Result result = run("placeholder", "--audit.input=" + sampleInput(), "--audit.platforms.wechat.token=${ELEME_TOKEN}");

        assertRefused(result, "audit.platforms.wechat.token: ${ELEME_TOKEN} is not set");
    }

    @Test
    void everyConfigurationProblemIsReportedInTheSameRun() throws IOException {
        Path outputFile = Files.writeString(dir.resolve("output-is-a-file"), "");

        JarRun.Result result = JarRun.run(dir, "many-problems", List.of("--audit.input=" + sampleInput(), "--audit.date=" + DATE,
                "--audit.output=" + outputFile, "--audit.platforms.qq.batch-size=0", "--audit.chunk-sise=10",
                "--spring.datasource.url=jdbc:mysql://db.invalid/audit"));

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderrLines()).as(result.describe()).containsExactlyInAnyOrder(
                "number-audit: bad configuration: audit.chunk-sise: unknown key (did you mean audit.chunk-size?)",
                "number-audit: bad configuration: audit.platforms.qq.batch-size: must be greater than or equal to 1",
                "number-audit: bad configuration: audit.output: " + outputFile.toAbsolutePath() + " is a file, not a folder",
                "number-audit: bad configuration: spring.datasource.url: no JDBC driver in number-audit accepts jdbc:mysql: URLs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "--version"})
    void helpAndVersionRunNothing(String flag) {
        JarRun.Result result = JarRun.run(dir, "flag", flag);

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).as(result.describe()).contains(flag.equals("--version") ? List.of("number-audit 1.")
                : List.of("Exit codes:", "3  completed, but a platform was down or its circuit open"));
        assertThat(dir.resolve("output")).as("nothing was run, not even the job repository").doesNotExist();
    }

    @Test
    void sampleInputWithTheDefaultsExits0AndPrintsWhereTheResultsAre() throws IOException {
        JarRun.Result result = run("sample", "--audit.input=" + sampleInput());

        Path results = dir.resolve("output").resolve(DATE).toAbsolutePath().normalize();
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stderr()).as(result.describe()).isBlank();
        assertThat(result.stdout()).as(result.describe()).contains("Results: " + results);
        for (String file : List.of("clean.csv", "bound.csv", "undetermined.csv", "rejected.csv", "summary.json")) {
            assertThat(results.resolve(file)).isRegularFile();
        }
    }

    private JarRun.Result run(String name, String... args) {
        return run(name, List.of(args));
    }

    /** Every case writes into its own {@code output/} and names the date, so "today" never matters. */
    private JarRun.Result run(String name, List<String> args) {
        List<String> all = new ArrayList<>(List.of("--audit.output=" + dir.resolve("output")));
        // Spring joins a key given twice ("a,b"), so the default date only when the case sets none
        if (args.stream().noneMatch(arg -> arg.startsWith("--audit.date="))) {
            all.add("--audit.date=" + DATE);
        }
        all.addAll(args);
        return JarRun.run(dir, name, all);
    }

    /** Exit 2, exactly one stderr line naming the problem, and not a single row processed. */
    private void assertRefused(JarRun.Result result, String... mentions) {
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        List<String> lines = result.stderrLines();
        assertThat(lines).as(result.describe()).hasSize(1);
        assertThat(lines.get(0)).as(result.describe()).startsWith("number-audit: ").contains(mentions);
        assertThat(cleanCsvFiles()).as("clean.csv written despite exit 2\n" + result.describe()).isEmpty();
    }

    private List<Path> cleanCsvFiles() {
        Path output = dir.resolve("output");
        if (!Files.exists(output)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(output)) {
            return files.filter(file -> file.getFileName().toString().equals("clean.csv")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Like the shipped input/: numbers bound in the demo bindings, clean ones, a silent one, bad rows. */
    private Path sampleInput() throws IOException {
        Path input = Files.createDirectories(dir.resolve("input"));
        Files.writeString(input.resolve("pending.csv"), """
                number,cancelled_on
                13832738807,2026-08-20
                +86 139 1234 5678,2026-08-21
                13700001234,2026-08-22
                17712345678,2026-08-23
                12345,2026-08-24
                13700001234,2026-08-25
                """);
        return input;
    }
}
