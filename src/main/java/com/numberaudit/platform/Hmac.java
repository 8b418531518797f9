package com.numberaudit.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.numberaudit.Sha256;

/**
 * The two HMAC-SHA256 uses of the Binding Check API: hashed ids ({@code idType: HMAC-SHA256})
 * and request signing ({@code X-Signature}). Shared by the client, the snapshot adapter and the
 * simulator so both sides compute exactly the same thing.
 */
public final class Hmac {

    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final Mac mac;

    public Hmac(Secret key) {
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.value().getBytes(StandardCharsets.UTF_8), ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The hashed id of an E.164 number: lower-case hex of HMAC-SHA256(key, e164). Not thread-safe. */
    public String hashedId(String e164) {
        return HEX.formatHex(mac.doFinal(e164.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@code base64(HMAC-SHA256(secret, "POST\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + hex(sha256(body))))}.
     * Not thread-safe.
     */
    public String signature(String method, String path, String timestamp, String nonce, byte[] body) {
        String canonical = method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + HEX.formatHex(Sha256.digest().digest(body));
        return Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
    }
}
