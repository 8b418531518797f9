package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.SampleInput;
import com.numberaudit.platform.Hmac;
import com.numberaudit.platform.Secret;

/**
 * The morning after a night with one platform's token wrong, against the packaged jar and its simulator: the run
 * completes but exits 3, and its console and summary.json name the platform and why; the platforms still holding
 * bindings get their notices, each in its own id-type (wechat E.164, baidu hashed ids), and a platform without
 * bindings gets none. The same command run again finds the date completed and says the same, exit 3: a scheduler that
 * retries it is told again that the night needs a look.
 */
@Timeout(300)
class PlatformDownIT {

    private static final String DATE = "2026-11-28";
    private static final int COUNT = 600;
    private static final String BAIDU_ID_KEY = "bd-k3y";
    private static final String TAOBAO_DOWN = "number-audit " + DATE + ": completed, but platform taobao was down: 600 numbers held "
            + "(PLATFORM_DOWN:HTTP_401)";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void aPlatformWithAWrongTokenExits3AndThePlatformsHoldingBindingsGetTheirNotices() throws IOException {
        List<String> numbers = SampleInput.mobileNumbers(COUNT, 1129);
        Path input = SampleInput.writeInput(dir.resolve("input/pending.csv"), numbers);
        StringBuilder bindings = new StringBuilder("number,platform,status,accounts\n");
        List<String> onWechat = new ArrayList<>();
        List<String> onBaidu = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            String number = numbers.get(i);
            if (i % 10 == 0) {
                bindings.append(number).append(",wechat,BOUND,1\n");
                onWechat.add(number);
            }
            if (i % 7 == 0) {
                bindings.append(number).append(",baidu,BOUND,2\n");
                onBaidu.add(number);
            }
            if (i % 13 == 0) {
                bindings.append(number).append(",taobao,BOUND,1\n");
            }
        }
        Path bindingsFile = Files.writeString(dir.resolve("bindings.csv"), bindings, StandardCharsets.UTF_8);
        List<String> command = List.of("--audit.input=" + input, "--audit.output=" + dir.resolve("output"), "--audit.date=" + DATE,
                "--audit.simulator.bindings=file:" + bindingsFile,
                "--audit.simulator.faults.taobao.token=tb-t0ken", "--audit.platforms.taobao.token=wrong-t0ken",
                "--audit.simulator.faults.baidu.id-key=" + BAIDU_ID_KEY, "--audit.platforms.baidu.id-type=HMAC-SHA256",
                "--audit.platforms.baidu.id-key=" + BAIDU_ID_KEY);

        JarRun.Result night = JarRun.run(dir, "night", command);

        assertThat(night.exitCode()).as("completed, but a platform was down\n" + night.describe()).isEqualTo(3);
        assertThat(downLines(night)).as(night.describe()).containsExactly(TAOBAO_DOWN);
        Path results = dir.resolve("output").resolve(DATE);
        JsonNode summary = JSON.readTree(results.resolve("summary.json").toFile());
        assertThat(summary.get("platformsDown").toString()).isEqualTo("{\"taobao\":{\"PLATFORM_DOWN:HTTP_401\":600}}");

        Path notices = results.resolve("notices");
        try (Stream<Path> files = Files.list(notices)) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted())
                    .as("a notice for each platform holding bindings; none for taobao (down) or qq (none)")
                    .containsExactly("baidu.csv", "wechat.csv");
        }
        assertThat(Files.readAllLines(notices.resolve("wechat.csv"))).isEqualTo(notice("E164", onWechat.stream()
                .map(number -> "+86" + number).toList()));
        Hmac baidu = new Hmac(new Secret(BAIDU_ID_KEY));
        assertThat(Files.readAllLines(notices.resolve("baidu.csv"))).isEqualTo(notice("HMAC-SHA256", onBaidu.stream()
                .map(number -> baidu.hashedId("+86" + number)).toList()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(notices))).isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(notices.resolve("baidu.csv")))).isEqualTo("rw-r-----");
        assertThat(night.stdout()).contains("number-audit " + DATE + ": 2 platform(s) still hold bindings; the ids to send each: "
                + notices.toAbsolutePath().normalize() + " (baidu " + onBaidu.size() + ", wechat " + onWechat.size() + ")");

        Map<String, String> before = Map.of("wechat", Files.readString(notices.resolve("wechat.csv")),
                "baidu", Files.readString(notices.resolve("baidu.csv")));
        JarRun.Result again = JarRun.run(dir, "again", command);

        assertThat(again.exitCode()).as("a run of the completed date says again that it needs a look\n" + again.describe()).isEqualTo(3);
        assertThat(again.stdout()).contains("already completed");
        assertThat(downLines(again)).containsExactly(TAOBAO_DOWN);
        assertThat(Map.of("wechat", Files.readString(notices.resolve("wechat.csv")), "baidu", Files.readString(notices.resolve("baidu.csv"))))
                .isEqualTo(before);
    }

    private static List<String> notice(String idType, List<String> ids) {
        List<String> lines = new ArrayList<>(List.of("date,id_type,id"));
        ids.forEach(id -> lines.add(DATE + "," + idType + "," + id));
        return lines;
    }

    private static List<String> downLines(JarRun.Result run) {
        return run.stdout().lines().filter(line -> line.contains(": completed, but ")).toList();
    }
}
