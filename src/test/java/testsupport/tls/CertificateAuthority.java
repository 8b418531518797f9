package testsupport.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made by a test, and the certificates it issues: EC P-256 keys, valid from
 * an hour ago for a day, written as the PEM files a {@code spring.ssl.bundle.pem.*} bundle reads.
 * Made with Bouncy Castle in the test's own JVM rather than with keytool: keytool cannot write a
 * private key as PEM, and each of its runs would start a JVM on the two cores the builds share.
 */
public final class CertificateAuthority {

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
    private static final String SIGNATURE = "SHA256withECDSA";

    private final X500Name name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private CertificateAuthority(X500Name name, KeyPair keys, X509Certificate certificate) {
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A self-signed CA named {@code CN=<commonName>}. */
    public static CertificateAuthority create(String commonName) {
        X500Name name = new X500Name("CN=" + commonName);
        KeyPair keys = newKeyPair();
        X509Certificate certificate = sign(name, keys, name, keys.getPrivate(), builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        });
        return new CertificateAuthority(name, keys, certificate);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Writes the CA's certificate, what a truststore holds, as PEM. */
    public Path writeCertificate(Path file) {
        return writePem(file, certificate);
    }

    /**
     * A certificate for {@code CN=<commonName>} valid for these subject alternative names, written as
     * openssl writes them: {@code DNS:localhost}, {@code IP:127.0.0.1}. A client verifies a url with an
     * IP address only against the IP names, one with a host name only against the DNS names.
     */
    public Issued issue(String commonName, String... subjectAlternativeNames) {
        KeyPair leafKeys = newKeyPair();
        GeneralName[] names = new GeneralName[subjectAlternativeNames.length];
        for (int i = 0; i < names.length; i++) {
            String[] typeAndValue = subjectAlternativeNames[i].split(":", 2);
            names[i] = new GeneralName(switch (typeAndValue[0]) {
                case "DNS" -> GeneralName.dNSName;
                case "IP" -> GeneralName.iPAddress;
                default -> throw new IllegalArgumentException("DNS:<name> or IP:<address>, not " + subjectAlternativeNames[i]);
            }, typeAndValue[1]);
        }
        X509Certificate leaf = sign(new X500Name("CN=" + commonName), leafKeys, name, keys.getPrivate(), builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            if (names.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
        });
        return new Issued(leaf, leafKeys.getPrivate(), this);
    }

    /** An issued certificate with its private key. */
    public record Issued(X509Certificate certificate, PrivateKey privateKey, CertificateAuthority issuer) {

        /** Writes {@code <name>.crt} (the certificate) and {@code <name>.key} (its PKCS#8 private key) into {@code folder}. */
        public PemFiles write(Path folder, String name) {
            Path certificateFile = writePem(folder.resolve(name + ".crt"), certificate);
            Path keyFile;
            try {
                keyFile = writePem(folder.resolve(name + ".key"), new JcaPKCS8Generator(privateKey, null).generate());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new PemFiles(certificateFile, keyFile);
        }

        /**
         * A server's TLS: this certificate (with its issuer's) and key; client certificates trusted if
         * {@code trustedClients} issued them (null: none).
         */
        public SSLContext serverContext(CertificateAuthority trustedClients) {
            try {
                KeyStore keyStore = KeyStore.getInstance("PKCS12");
                keyStore.load(null, null);
                keyStore.setKeyEntry("server", privateKey, new char[0], new Certificate[] {certificate, issuer.certificate()});
                KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keyStore, new char[0]);
                KeyStore trustStore = KeyStore.getInstance("PKCS12");
                trustStore.load(null, null);
                if (trustedClients != null) {
                    trustStore.setCertificateEntry("clients", trustedClients.certificate());
                }
                TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(trustStore);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot make the server's TLS context", e);
            }
        }
    }

    /** The PEM files of an issued certificate, as {@code spring.ssl.bundle.pem.<name>.keystore.certificate} and {@code .private-key}. */
    public record PemFiles(Path certificate, Path privateKey) {
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws CertIOException;
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                        Extensions extensions) {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
        try {
            extensions.add(builder);
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKey)));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate for " + subject, e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC key pairs in this JVM", e);
        }
    }

    private static Path writePem(Path file, Object object) {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Files.writeString(file, pem.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
