package com.numberaudit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A value out of bounds stops the run with exit code 2 and a line naming the key as the operator wrote it. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationErrorTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--audit.platforms.wechat.batch-size=0 | audit.platforms.wechat.batch-size: must be greater than or equal to 1",
            "--audit.platforms.qq.retry.max-attempts=0 | audit.platforms.qq.retry.max-attempts: must be greater than or equal to 1",
            "--audit.chunk-size=0 | audit.chunk-size: must be greater than or equal to 1",
            "--audit.platforms.jd.timeout=soon | audit.platforms.jd.timeout = 'soon'",
            "--audit.platforms.baidu.id-type=HMAC-SHA256 | audit.platforms.baidu.id-key: required when id-type is HMAC-SHA256",
            "--audit.platforms.qq.token-file=/run/credentials/none/qq-token | audit.platforms.qq.token-file: /run/credentials/none/qq-token: no such file",
            "--audit.platforms.jd.url=http://binding.jd.invalid/v1 | audit.platforms.jd.url: 'http://binding.jd.invalid/v1' is plain http to another machine",
            "--audit.date=2127-11-28 | audit.date: 2127-11-28 is after tomorrow (today is ",
            "--audit.partitions=2 | audit.partitions=2: remote partitions need a PostgreSQL job repository the manager and its workers share (spring.datasource.url=jdbc:postgresql://…), not the default H2 file",
            "--audit.role=worker | audit.role=worker: remote partitions need a PostgreSQL job repository",
            "--audit.role=boss | audit.role = 'boss': cannot be read as one of MANAGER, WORKER",
            "--audit.worker-lease=1s | audit.worker-lease: must be longer than or equal to 2 seconds",
            "--audit.metrics.pushgateway-url=pushgateway:9091 | audit.metrics.pushgateway-url: must be an http:// or https:// URL",
            "--audit.metrics.pushgatway-url=http://pushgateway:9091 | audit.metrics.pushgatway-url: unknown key (did you mean audit.metrics.pushgateway-url?)",
            "--audit.platforms.a123456789012345678901234567890123456789012345678901234567890123x.url=http://127.0.0.1:1 | audit.platforms.a123456789012345678901234567890123456789012345678901234567890123x: a platform id is lower-case letters, digits, '-' and '_', at most 64 characters"})
    void outOfBoundsValueNamesItsKey(String argument, String message, CapturedOutput output) {
        int exit = NumberAuditApplication.run("--audit.output=" + work, argument);

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("number-audit: bad configuration: " + message);
    }
}
