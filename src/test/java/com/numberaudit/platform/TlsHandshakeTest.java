package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import com.numberaudit.TestBinding;
import com.numberaudit.number.MobileNumber;
import testsupport.tls.CertificateAuthority;

/**
 * One request through a platform's SSL bundle to a server that refuses the handshake with a TLS
 * alert, which the simulator (the JDK's HttpsServer) never sends: the batch gets no answer, as
 * {@code TLS_HANDSHAKE} with the TLS stack's own words for the operator's log.
 */
class TlsHandshakeTest {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 28);
    private static final List<MobileNumber> ASKED = List.of(new MobileNumber(13832738807L), new MobileNumber(13912345678L));
    private static final CertificateAuthority PLATFORM_CA = CertificateAuthority.create("platform CA");
    private static final CertificateAuthority CLIENT_CA = CertificateAuthority.create("carrier client CA");

    @TempDir
    Path work;

    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private BindingCheckApiAdapterFactory factory;

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.close();
        }
        serverThreads.shutdownNow();
    }

    @Test
    void aServerThatRefusesTheHandshakeForWantOfAClientCertificateIsATlsFailure() throws Exception {
        // a plain TLS socket, which (unlike the JDK's HttpsServer) tells the client why with an alert before closing
        SSLServerSocket server = (SSLServerSocket) PLATFORM_CA.issue("platform", "IP:127.0.0.1").serverContext(CLIENT_CA)
                .getServerSocketFactory().createServerSocket(0, 8, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        serverThreads.execute(() -> refuseEveryHandshake(server));

        List<BindingAnswer> answers = check(URI.create("https://127.0.0.1:" + server.getLocalPort() + "/p"));

        // the request went out (its x-correlator is the ledger's proof of what was asked), the handshake failed
        assertThat(answers).hasSize(ASKED.size()).extracting(BindingAnswer::correlator).doesNotContainNull();
        assertThat(answers).containsOnly(BindingAnswer.noAnswerWithDetail("TLS_HANDSHAKE", "Received fatal alert: bad_certificate", answers.get(0).correlator()));
        server.close();
    }

    private List<BindingAnswer> check(URI url) throws Exception {
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
        bundles.registerBundle("platform", SslBundle.of(new PemSslStoreBundle(null,
                PemSslStoreDetails.forCertificate(PLATFORM_CA.writeCertificate(work.resolve("ca.crt")).toUri().toString()))));
        factory = new BindingCheckApiAdapterFactory(bundles);
        PlatformSettings settings = TestBinding.bind(PlatformSettings.class, "url", url.toString(), "ssl-bundle", "platform",
                "retry.max-attempts", "1", "timeout", "5s");
        return factory.create(new Platform("p", settings, url)).check(AS_OF, ASKED).get(10, TimeUnit.SECONDS);
    }

    private static void refuseEveryHandshake(SSLServerSocket server) {
        while (!server.isClosed()) {
            try (Socket accepted = server.accept(); InputStream in = accepted.getInputStream()) {
                ((SSLSocket) accepted).startHandshake();
                in.read();
            } catch (IOException e) {
                // the handshake failed, as it should: the alert is on its way to the client
            }
        }
    }
}
