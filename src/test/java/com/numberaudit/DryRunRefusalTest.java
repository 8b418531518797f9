package com.numberaudit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A dry run of a set-up a run would refuse is refused the same way: exit 2, the problems named. */
@ExtendWith(OutputCaptureExtension.class)
class DryRunRefusalTest {

    @TempDir
    Path work;

    @Test
    void anInputWithoutANumberColumnIsRefused(CapturedOutput output) throws IOException {
        Path input = Files.writeString(work.resolve("pending.csv"), "msisdn\n13832738807\n");

        int exit = NumberAuditApplication.run("--audit.dry-run=true", "--audit.input=" + input, "--audit.output=" + work.resolve("out"));

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("number-audit: unreadable input: " + input + " line 1: header has no 'number' column");
        assertThat(output.getOut()).doesNotContain("DRY RUN");
    }

    @Test
    void aMisspeltKeyIsRefused(CapturedOutput output) {
        int exit = NumberAuditApplication.run("--audit.dry-run=true", "--audit.output=" + work.resolve("out"),
                "--audit.platforms.wechat.rate-limt=5");

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("number-audit: bad configuration: audit.platforms.wechat.rate-limt: unknown key "
                + "(did you mean audit.platforms.wechat.rate-limit?)");
    }
}
