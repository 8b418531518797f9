package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import com.numberaudit.AuditConfigurationException;
import com.numberaudit.TestBinding;

/** Where a Binding Check API platform may be asked: plain http only on this machine (or when allowed), TLS through a known bundle. */
class BindingCheckApiAdapterFactoryTest {

    private final BindingCheckApiAdapterFactory factory = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry());

    @AfterEach
    void close() {
        factory.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LocalHost", "127.0.0.1", "127.255.0.9", "[::1]", "[0:0:0:0:0:0:0:1]"})
    void loopbackIsLocalhostAnAddressIn127Slash8OrIpv6Loopback(String host) {
        assertThat(BindingCheckApiAdapterFactory.isLoopback(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"binding.wechat.invalid", "localhost.example", "127.0.0.256", "127.1", "128.0.0.1", "10.0.0.1",
            "0.0.0.0", "[::2]", "[fe80::1]", "[::]"})
    void anyOtherHostIsNotLoopback(String host) {
        assertThat(BindingCheckApiAdapterFactory.isLoopback(host)).isFalse();
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedNamingTheKeyAndTheWayOut() {
        assertThatThrownBy(() -> build("url", "http://binding.wechat.invalid/v1"))
                .isInstanceOfSatisfying(AuditConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "audit.platforms.wechat.url: 'http://binding.wechat.invalid/v1' is plain http to another machine, so ids and "
                                + "credentials would cross the network unencrypted: use https://, or set "
                                + "audit.platforms.wechat.allow-insecure-http=true"));
    }

    @Test
    void aRefusedUrlIsShownWithoutItsUserInfoOrQuery() {
        assertThatThrownBy(() -> build("url", "http://ops:pa55@binding.wechat.invalid/v1?api_key=s3cr3t"))
                .isInstanceOfSatisfying(AuditConfigurationException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().contains("'http://******@binding.wechat.invalid/v1?******'").doesNotContain("pa55", "s3cr3t"));
    }

    @Test
    void plainHttpToAnotherMachineIsAskedWhenThePlatformAllowsIt() {
        PlatformRegistry registry = build("url", "http://binding.wechat.invalid/v1", "allow-insecure-http", "true");

        assertThat(registry.platforms()).extracting(Platform::id).containsExactly("wechat");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/v1", "http://localhost/v1", "http://[::1]:8080/v1"})
    void plainHttpOnThisMachineNeedsNoPermission(String url) {
        assertThat(build("url", url).platforms()).extracting(Platform::id).containsExactly("wechat");
    }

    @Test
    void anSslBundleOnAPlainHttpUrlIsRefused() {
        assertThatThrownBy(() -> build("url", "http://127.0.0.1:8080/v1", "ssl-bundle", "wechat-ca"))
                .isInstanceOfSatisfying(AuditConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "audit.platforms.wechat.ssl-bundle: set for the plain http url 'http://127.0.0.1:8080/v1'; "
                                + "TLS needs an https:// url"));
    }

    @Test
    void anUnknownSslBundleIsRefusedNamingWhereItWouldBeDefined() {
        assertThatThrownBy(() -> build("url", "https://binding.wechat.example/v1", "ssl-bundle", "x"))
                .isInstanceOfSatisfying(AuditConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "audit.platforms.wechat.ssl-bundle: no SSL bundle named 'x' (spring.ssl.bundle.pem.x or .jks.x)"));
    }

    @Test
    void aBundleWhoseFilesCannotBeReadIsRefusedNamingTheFile(@TempDir Path work) {
        Path missing = work.resolve("wechat-ca.crt");
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
        bundles.registerBundle("wechat-ca", SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(missing.toString()))));
        PlatformSettings settings = TestBinding.bind(PlatformSettings.class, "url", "https://binding.wechat.example/v1",
                "ssl-bundle", "wechat-ca");

        try (BindingCheckApiAdapterFactory withBundle = new BindingCheckApiAdapterFactory(bundles)) {
            assertThatThrownBy(() -> PlatformRegistry.build(Map.of("wechat", settings), List.of(withBundle), null))
                    .isInstanceOfSatisfying(AuditConfigurationException.class, e -> assertThat(e.problems()).singleElement().asString()
                            .startsWith("audit.platforms.wechat.ssl-bundle: SSL bundle 'wechat-ca' cannot be used: ")
                            .contains("'" + missing + "'"));
        }
    }

    private PlatformRegistry build(String... keysAndValues) {
        return PlatformRegistry.build(Map.of("wechat", TestBinding.bind(PlatformSettings.class, keysAndValues)), List.of(factory), null);
    }
}
