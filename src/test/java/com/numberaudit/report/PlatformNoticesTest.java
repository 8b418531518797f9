package com.numberaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.TestBinding;
import com.numberaudit.platform.PlatformIds;
import com.numberaudit.platform.PlatformSettings;

/** The notices the carrier sends each platform still holding bindings: its ids of the numbers bound there tonight. */
class PlatformNoticesTest {

    private static final LocalDate DATE = LocalDate.parse("2026-11-28");
    private static final String ID_KEY = "bd-k3y";

    @TempDir
    Path dir;

    @Test
    void eachPlatformHoldingBindingsGetsItsIdsInItsIdTypeAndOneWithoutNoneGetsNoFile() throws Exception {
        Path bound = Files.writeString(dir.resolve("bound.csv"), """
                number,cancelled_on,platforms,held_since
                13832738807,2026-08-20,baidu;wechat,
                13912345678,,wechat,2026-11-01
                15000001111,2026-08-21,baidu,
                """);
        Path notices = Files.createDirectory(dir.resolve("notices"));

        Map<String, Long> written = PlatformNotices.write(bound, notices, DATE, Map.of(
                "wechat", PlatformIds.of(TestBinding.bind(PlatformSettings.class)),
                "baidu", PlatformIds.of(TestBinding.bind(PlatformSettings.class, "id-type", "HMAC-SHA256", "id-key", ID_KEY)),
                "qq", PlatformIds.of(TestBinding.bind(PlatformSettings.class))));

        assertThat(written).containsExactly(Map.entry("baidu", 2L), Map.entry("wechat", 2L));
        try (var files = Files.list(notices)) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted()).containsExactly("baidu.csv", "wechat.csv");
        }
        assertThat(Files.readAllLines(notices.resolve("wechat.csv"))).containsExactly(
                "date,id_type,id",
                "2026-11-28,E164,+8613832738807",
                "2026-11-28,E164,+8613912345678");
        assertThat(Files.readAllLines(notices.resolve("baidu.csv"))).containsExactly(
                "date,id_type,id",
                "2026-11-28,HMAC-SHA256," + hmacSha256Hex("+8613832738807"),
                "2026-11-28,HMAC-SHA256," + hmacSha256Hex("+8615000001111"));
    }

    @Test
    void aNightWithoutBindingsHasNoNotices() throws Exception {
        Path bound = Files.writeString(dir.resolve("bound.csv"), "number,cancelled_on,platforms,held_since\n");
        Path notices = Files.createDirectory(dir.resolve("notices"));

        assertThat(PlatformNotices.write(bound, notices, DATE, Map.of("wechat", PlatformIds.of(TestBinding.bind(PlatformSettings.class)))))
                .isEmpty();
        try (var files = Files.list(notices)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    /** The platform's own computation of a hashed id, written out here rather than taken from the code under test. */
    private static String hmacSha256Hex(String e164) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(ID_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(e164.getBytes(StandardCharsets.UTF_8)));
    }
}
