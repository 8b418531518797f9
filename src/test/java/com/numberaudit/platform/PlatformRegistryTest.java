package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.numberaudit.AuditConfigurationException;
import com.numberaudit.TestBinding;

class PlatformRegistryTest {

    private static final List<BindingCheckAdapterFactory> FACTORIES = List.of(new BindingCheckApiAdapterFactory());
    private static final Function<String, URI> SIMULATOR = id -> URI.create("http://127.0.0.1:9999/platforms/" + id);

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
                .hasMessageContaining("audit.platforms.wechat.url");
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
        settings.put("wechat", enabled(null));
        settings.put("qq", settings(false, null, BindingCheckApiAdapter.NAME));
        settings.put("baidu", enabled(URI.create("https://binding.baidu.example/v1")));
        settings.put("alipay", enabled(null));

        PlatformRegistry registry = PlatformRegistry.build(settings, FACTORIES, SIMULATOR);

        assertThat(registry.platforms()).extracting(Platform::id).containsExactly("alipay", "baidu", "wechat");
        assertThat(registry.platforms()).extracting(Platform::baseUrl).containsExactly(
                SIMULATOR.apply("alipay"), URI.create("https://binding.baidu.example/v1"), SIMULATOR.apply("wechat"));
        assertThat(registry.adapter(2)).isInstanceOf(BindingCheckApiAdapter.class);
    }

    @Test
    void simulatorIsNeededOnlyForAnEnabledPlatformWithoutUrl() {
        assertThat(PlatformRegistry.needsSimulator(Map.of(
                "qq", settings(false, null, BindingCheckApiAdapter.NAME),
                "wechat", enabled(URI.create("https://wechat.example"))))).isFalse();
        assertThat(PlatformRegistry.needsSimulator(Map.of("wechat", enabled(null)))).isTrue();
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
