package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;

import com.numberaudit.AuditConfigurationException;
import com.numberaudit.TestBinding;

class PlatformRegistryTest {

    private static final List<BindingCheckAdapterFactory> FACTORIES = List.of(new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry()));
    private static final DemoServer SIMULATOR = id -> URI.create("http://127.0.0.1:9999/platforms/" + id);

    @TempDir
    Path work;

    @Test
    void noEnabledPlatformIsRefusedNamingTheKey() {
        Map<String, PlatformSettings> allDisabled = Map.of("wechat", settings(false, null, BindingCheckApiAdapter.NAME));

        assertThatThrownBy(() -> PlatformRegistry.build(allDisabled, FACTORIES, SIMULATOR))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageStartingWith("audit.platforms:");
        assertThatThrownBy(() -> PlatformRegistry.build(null, FACTORIES, SIMULATOR))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageStartingWith("audit.platforms:");
    }

    @Test
    void enabledPlatformWithoutUrlNeedsTheSimulator() {
        Map<String, PlatformSettings> settings = Map.of("wechat", enabled(null));

        assertThatThrownBy(() -> PlatformRegistry.build(settings, FACTORIES, null))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageContaining("audit.platforms.<id>.url is not set for wechat, and audit.simulator.enabled=false");
    }

    @Test
    void nonHttpUrlIsRefusedNamingTheKey() {
        Map<String, PlatformSettings> settings = Map.of("wechat", enabled(URI.create("ftp://x")));

        assertThatThrownBy(() -> PlatformRegistry.build(settings, FACTORIES, SIMULATOR))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageContaining("audit.platforms.wechat.url")
                .hasMessageContaining("ftp://x");
    }

    @Test
    void aRefusedUrlIsShownWithoutItsUserInfo() {
        Map<String, PlatformSettings> settings = Map.of("wechat", enabled(URI.create("ftp://svc:pa55word@x.example/v1")));

        assertThatThrownBy(() -> PlatformRegistry.build(settings, FACTORIES, SIMULATOR))
                .hasMessageContaining("audit.platforms.wechat.url: 'ftp://******@x.example/v1'")
                .hasMessageNotContaining("pa55word");
    }

    @Test
    void unknownAdapterIsRefusedNamingTheKey() {
        Map<String, PlatformSettings> settings = Map.of("wechat", settings(true, null, "carrier-pigeon"));

        assertThatThrownBy(() -> PlatformRegistry.build(settings, FACTORIES, SIMULATOR))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageContaining("audit.platforms.wechat.adapter")
                .hasMessageContaining("carrier-pigeon");
    }

    @Test
    void platformIdOutsideTheAllowedAlphabetIsRefusedNamingIt() {
        Map<String, PlatformSettings> settings = Map.of("WeChat", enabled(null));

        assertThatThrownBy(() -> PlatformRegistry.build(settings, FACTORIES, SIMULATOR))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageContaining("audit.platforms.WeChat");
    }

    @Test
    void enabledPlatformsComeOutSortedByIdWithoutTheDisabledOnes() {
        Map<String, PlatformSettings> settings = new HashMap<>();
        settings.put("wechat", enabled(URI.create("https://binding.wechat.example/v1")));
        settings.put("qq", settings(false, null, BindingCheckApiAdapter.NAME));
        settings.put("baidu", enabled(URI.create("https://binding.baidu.example/v1")));
        settings.put("alipay", enabled(URI.create("https://binding.alipay.example/v1")));

        PlatformRegistry registry = PlatformRegistry.build(settings, FACTORIES, SIMULATOR);

        assertThat(registry.platforms()).extracting(Platform::id).containsExactly("alipay", "baidu", "wechat");
        assertThat(registry.platforms()).extracting(Platform::baseUrl).containsExactly(URI.create("https://binding.alipay.example/v1"),
                URI.create("https://binding.baidu.example/v1"), URI.create("https://binding.wechat.example/v1"));
        assertThat(registry.adapter(2)).isInstanceOf(BindingCheckApiAdapter.class);
        assertThat(registry.demo()).as("every platform is real, so the demo server is not asked").isFalse();
    }

    @Test
    void theDemoServerAnswersOnlyWhenNoEnabledPlatformIsReal() {
        Map<String, PlatformSettings> settings = Map.of("alipay", enabled(null), "wechat", enabled(null),
                "qq", settings(false, URI.create("https://binding.qq.example/v1"), BindingCheckApiAdapter.NAME));

        PlatformRegistry registry = PlatformRegistry.build(settings, FACTORIES, SIMULATOR);

        assertThat(registry.demo()).isTrue();
        assertThat(registry.platforms()).extracting(Platform::baseUrl)
                .containsExactly(SIMULATOR.baseUrl("alipay"), SIMULATOR.baseUrl("wechat"));
    }

    @Test
    void theDemoServerNeverAnswersBesideARealPlatformAndEveryPlatformWithoutUrlIsNamedAtOnce() {
        Map<String, PlatformSettings> settings = Map.of("alipay", enabled(null), "bilibili", enabled(null),
                "wechat", enabled(URI.create("https://binding.wechat.example/v1")),
                "douyin", settings(true, null, SnapshotFileAdapter.NAME));

        assertThatThrownBy(() -> PlatformRegistry.build(settings, FACTORIES, SIMULATOR))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageContaining("audit.platforms.<id>.url is not set for 2 platforms (alipay, bilibili)")
                .hasMessageContaining("while 2 platforms (douyin, wechat) are real platforms")
                .hasMessageContaining("never answers beside real platforms");
    }

    @Test
    void everyProblemIsReportedInOneGo() {
        Map<String, PlatformSettings> settings = Map.of("alipay", enabled(URI.create("ftp://x")),
                "baidu", settings(true, URI.create("https://b.example"), "carrier-pigeon"),
                "jd", TestBinding.bind(PlatformSettings.class, "url", "https://jd.example", "id-type", "HMAC-SHA256"));

        assertThatThrownBy(() -> PlatformRegistry.build(settings, FACTORIES, SIMULATOR))
                .isInstanceOfSatisfying(AuditConfigurationException.class, e -> assertThat(e.problems()).hasSize(3)
                        .anySatisfy(p -> assertThat(p).startsWith("audit.platforms.alipay.url"))
                        .anySatisfy(p -> assertThat(p).startsWith("audit.platforms.baidu.adapter"))
                        .anySatisfy(p -> assertThat(p).startsWith("audit.platforms.jd.id-key")));
    }

    @Test
    void secretsFromFilesAreReadIntoTheSettingsAsIfGivenInline() throws IOException {
        Path token = Files.writeString(work.resolve("token"), "t0k3n\n");
        Path hmacSecret = Files.writeString(work.resolve("hmac-secret"), "s1gn\r\n");
        Path idKey = Files.writeString(work.resolve("id-key"), "k3y");
        PlatformSettings fromFiles = TestBinding.bind(PlatformSettings.class, "url", "https://w.example", "id-type", "HMAC-SHA256",
                "token-file", token.toString(), "hmac-secret-file", hmacSecret.toString(), "id-key-file", idKey.toString());
        PlatformSettings inline = TestBinding.bind(PlatformSettings.class, "url", "https://w.example", "id-type", "HMAC-SHA256",
                "token", "t0k3n", "hmac-secret", "s1gn", "id-key", "k3y");

        PlatformRegistry registry = PlatformRegistry.build(Map.of("wechat", fromFiles), FACTORIES, null);

        assertThat(registry.platforms()).singleElement().extracting(Platform::settings).isEqualTo(inline);
    }

    @Test
    void aSecretGivenInlineAndAsAFileIsRefusedNamingBothKeys() throws IOException {
        Path token = Files.writeString(work.resolve("token"), "t0k3n");
        Map<String, PlatformSettings> settings = Map.of("wechat", TestBinding.bind(PlatformSettings.class,
                "url", "https://w.example", "token", "t0k3n", "token-file", token.toString()));

        assertThatThrownBy(() -> PlatformRegistry.build(settings, FACTORIES, null))
                .isInstanceOfSatisfying(AuditConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "audit.platforms.wechat.token-file: audit.platforms.wechat.token is set too; give the secret one way only"));
    }

    @Test
    void everySecretFileThatCannotBeReadIsNamedWithItsKeyInOneGoButOnlyForEnabledPlatforms() throws IOException {
        Path missing = work.resolve("not-mounted/token");
        Path empty = Files.writeString(work.resolve("hmac-secret"), "\n");
        Map<String, PlatformSettings> settings = Map.of(
                "wechat", TestBinding.bind(PlatformSettings.class, "url", "https://w.example", "token-file", missing.toString(),
                        "hmac-secret-file", empty.toString()),
                "qq", TestBinding.bind(PlatformSettings.class, "url", "https://q.example", "id-type", "HMAC-SHA256",
                        "id-key-file", missing.toString()),
                "jd", TestBinding.bind(PlatformSettings.class, "enabled", "false", "token-file", missing.toString()));

        assertThatThrownBy(() -> PlatformRegistry.build(settings, FACTORIES, null))
                .isInstanceOfSatisfying(AuditConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "audit.platforms.qq.id-key-file: " + missing + ": no such file",
                        "audit.platforms.wechat.token-file: " + missing + ": no such file",
                        "audit.platforms.wechat.hmac-secret-file: " + empty + ": empty"));
    }

    private static PlatformSettings enabled(URI url) {
        return settings(true, url, BindingCheckApiAdapter.NAME);
    }

    private static PlatformSettings settings(boolean enabled, URI url, String adapter) {
        return url == null
                ? TestBinding.bind(PlatformSettings.class, "enabled", Boolean.toString(enabled), "adapter", adapter)
                : TestBinding.bind(PlatformSettings.class, "enabled", Boolean.toString(enabled), "adapter", adapter, "url", url.toString());
    }
}
