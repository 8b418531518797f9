package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;

import com.numberaudit.TestBinding;
import com.numberaudit.ledger.HeldSet;
import com.numberaudit.platform.BindingCheckApiAdapterFactory;
import com.numberaudit.platform.PlatformRegistry;
import com.numberaudit.platform.PlatformSettings;

/** A run's identity: what changes it, what it never shows, and how a difference reads. */
class RunFingerprintTest {

    private static final AuditTarget TARGET = new AuditTarget(LocalDate.of(2026, 11, 28), Path.of("/data/audit"));
    private static final List<InputFile> INPUT = List.of(new InputFile(Path.of("/data/in/batch=1.csv"), 0, -1, 120, "ab12", 3));

    @TempDir
    Path work;

    @Test
    void theQueryAndTheUserInfoOfAUrlNeverShowButAChangedQueryIsADifference() {
        RunFingerprint before = of(Map.of("wechat", url("https://svc:pa55@binding.example/v1?key=s3cret")));
        RunFingerprint after = of(Map.of("wechat", url("https://binding.example/v1?key=other")));

        assertThat(before.entries().toString()).doesNotContain("pa55", "svc", "s3cret").contains("https://binding.example/v1?query sha256 ");
        assertThat(after.differencesFrom(before, "the interrupted run")).singleElement().asString()
                .startsWith("audit.platforms.wechat.url: https://binding.example/v1?query sha256 ")
                .doesNotContain("s3cret", "other");
    }

    @Test
    void anotherIdKeyIsADifferenceThatShowsNothingOfTheKey() {
        RunFingerprint before = of(Map.of("baidu", hashed("k3y-one")));
        RunFingerprint after = of(Map.of("baidu", hashed("k3y-two")));

        assertThat(after.differencesFrom(before, "the interrupted run"))
                .containsExactly("audit.platforms.baidu.id-key changed since the interrupted run");
        assertThat(before.entries().toString() + after.entries()).doesNotContain("k3y-one", "k3y-two");
        assertThat(of(Map.of("baidu", hashed("k3y-one")))).isEqualTo(before);
    }

    @Test
    void anIdKeyFromAFileIsTheSameIdentityAsTheSameKeyGivenInline() throws IOException {
        Path idKey = Files.writeString(work.resolve("id-key"), "k3y-one\n");

        RunFingerprint fromFile = of(Map.of("baidu", TestBinding.bind(PlatformSettings.class, "url", "https://b.example",
                "id-type", "HMAC-SHA256", "id-key-file", idKey.toString())));

        assertThat(fromFile).isEqualTo(of(Map.of("baidu", hashed("k3y-one"))));
        assertThat(fromFile.entries().toString()).doesNotContain("k3y-one", idKey.toString());
    }

    @Test
    void aPlatformEnabledSinceIsOneLineAndAChangedInputFileIsNamed() {
        RunFingerprint before = of(Map.of("wechat", url("https://w.example")));
        RunFingerprint after = new RunFingerprint(Map.of("output", "/data/audit", "platform.wechat.adapter", "binding-check-api",
                "platform.wechat.url", "https://w.example", "platform.wechat.id-type", "E164",
                "platform.qq.adapter", "binding-check-api", "platform.qq.url", "https://q.example", "platform.qq.id-type", "E164",
                "input.batch=1.csv", "size 121, sha256 cd34"));

        assertThat(after.differencesFrom(before, "the interrupted run")).containsExactlyInAnyOrder(
                "audit.platforms.qq.enabled: false in the interrupted run, true now",
                "input batch=1.csv changed since the interrupted run");
        assertThat(after.digest()).isNotEqualTo(before.digest());
    }

    @Test
    void reauditSwitchedOffOrAnotherHeldSetIsADifferenceThatSaysWhich() {
        RunFingerprint base = of(Map.of("wechat", url("https://w.example")));
        RunFingerprint interrupted = base.withHeldSet(true, new HeldSet.Summary(12, "ab".repeat(32)));

        assertThat(base.withHeldSet(false, new HeldSet.Summary(12, "ab".repeat(32))).differencesFrom(interrupted, "the interrupted run"))
                .containsExactly("audit.reaudit: true in the interrupted run, false now");
        assertThat(base.withHeldSet(true, new HeldSet.Summary(11, "cd".repeat(32))).differencesFrom(interrupted, "the interrupted run"))
                .containsExactly("the ledger's held set: 12 numbers, sha256 abababababababab in the interrupted run, "
                        + "11 numbers, sha256 cdcdcdcdcdcdcdcd now");
        assertThat(interrupted.differencesFrom(base, "the completed run")).as("a run recorded by a number-audit without a ledger")
                .containsExactly("audit.reaudit: not known to the completed run (an earlier number-audit), true now",
                        "the ledger's held set: none in the completed run, 12 numbers, sha256 abababababababab now");
        assertThat(base.withHeldSet(true, new HeldSet.Summary(12, "ab".repeat(32)))).isEqualTo(interrupted);
    }

    @Test
    void aNightBegunInPartitionsResumesOnlyWithAsManyAndOneNodeIsTheIdentityItAlwaysWas() {
        RunFingerprint base = of(Map.of("wechat", url("https://w.example")));
        RunFingerprint threePartitions = base.withPartitions(3);

        assertThat(base.withPartitions(1)).isEqualTo(base);
        assertThat(base.withPartitions(2).differencesFrom(threePartitions, "the interrupted run"))
                .containsExactly("audit.partitions: 3 in the interrupted run, 2 now");
        assertThat(base.differencesFrom(threePartitions, "the interrupted run"))
                .containsExactly("audit.partitions: 3 in the interrupted run, 1 now");
        assertThat(threePartitions.differencesFrom(base, "the interrupted run"))
                .containsExactly("audit.partitions: 1 in the interrupted run, 3 now");
        assertThat(base.withPartitions(3)).isEqualTo(threePartitions);
    }

    @Test
    void anEmptyHeldSetLeavesTheIdentityOfANumberAuditWithoutALedger() {
        RunFingerprint before = of(Map.of("wechat", url("https://w.example")));
        HeldSet.Summary nothingHeld = new HeldSet.Summary(0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        // an upgrade between a night's kill and its restart (or on a completed date) is not a changed set-up
        assertThat(before.withHeldSet(true, nothingHeld)).isEqualTo(before);
        assertThat(before.withHeldSet(false, nothingHeld).digest()).isEqualTo(before.digest());
    }

    private static RunFingerprint of(Map<String, PlatformSettings> settings) {
        return RunFingerprint.of(TARGET, INPUT, PlatformRegistry.build(settings, List.of(new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry())), null));
    }

    private static PlatformSettings url(String url) {
        return TestBinding.bind(PlatformSettings.class, "url", url);
    }

    private static PlatformSettings hashed(String idKey) {
        return TestBinding.bind(PlatformSettings.class, "url", "https://b.example", "id-type", "HMAC-SHA256", "id-key", idKey);
    }
}
