package com.numberaudit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The night's log file: where it is, and that a run refused at start-up leaves its reasons in it. */
@ExtendWith(OutputCaptureExtension.class)
class RunLogFileTest {

    private static final String BAD = "--audit.chunk-size=0";

    @TempDir
    Path work;

    @Test
    void aRefusedRunLeavesItsReasonsInTheNightsLogFileBesideTheResults(CapturedOutput output) throws IOException {
        int exit = NumberAuditApplication.run("--audit.output=" + work, "--audit.date=2026-11-28", BAD);

        Path log = work.resolve("logs").resolve("number-audit-2026-11-28.log");
        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("number-audit: bad configuration: audit.chunk-size: must be greater than or equal to 1");
        assertThat(Files.readString(log, StandardCharsets.UTF_8))
                .containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) ERROR +" + ProcessHandle.current().pid()
                        + " \\[[^]]+] console: number-audit: bad configuration: audit.chunk-size: must be greater than or equal to 1\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-r-----");
    }

    @Test
    void aRunOfTheSameDateAppendsToItsFile() throws IOException {
        NumberAuditApplication.run("--audit.output=" + work, "--audit.date=2026-11-28", BAD);
        NumberAuditApplication.run("--audit.output=" + work, "--audit.date=2026-11-28", "--audit.platforms.wechat.ulr=x");

        assertThat(Files.readString(work.resolve("logs").resolve("number-audit-2026-11-28.log"), StandardCharsets.UTF_8))
                .contains("audit.chunk-size: must be greater than or equal to 1").contains("audit.platforms.wechat.ulr: unknown key");
    }

    @Test
    void auditLogFileMovesItWithTheDateInItsNameOrSwitchesItOff() throws IOException {
        NumberAuditApplication.run("--audit.output=" + work.resolve("moved"), "--audit.date=2026-11-28", BAD,
                "--audit.log-file=" + work.resolve("var-log").resolve("audit-{date}.log"));
        NumberAuditApplication.run("--audit.output=" + work.resolve("off"), "--audit.date=2026-11-28", BAD, "--audit.log-file=none");

        assertThat(Files.readString(work.resolve("var-log").resolve("audit-2026-11-28.log"), StandardCharsets.UTF_8))
                .contains("audit.chunk-size: must be greater than or equal to 1");
        assertThat(work.resolve("moved").resolve("logs")).doesNotExist();
        assertThat(work.resolve("off").resolve("logs")).doesNotExist();
    }

    @Test
    void anAuditLogFileThatCannotBeCreatedIsRefused(CapturedOutput output) throws IOException {
        Path file = Files.writeString(work.resolve("a-file"), "");

        int exit = NumberAuditApplication.run("--audit.output=" + work, "--audit.log-file=" + file.resolve("night.log"));

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("number-audit: bad configuration: audit.log-file: cannot create " + file.resolve("night.log"));
    }

    @Test
    void springBootsOwnLogFileSettingIsHonouredInstead() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("audit.output", work.toString(),
                "audit.date", "2026-11-28", "logging.file.name", work.resolve("spring.log").toString())));

        assertThat(RunLogFile.location(environment)).isNull();
        environment.getPropertySources().addFirst(new MapPropertySource("explicit", Map.of("audit.log-file", "night-{date}.log")));
        assertThat(RunLogFile.location(environment)).isEqualTo(Path.of("night-2026-11-28.log").toAbsolutePath());
    }
}
