package com.numberaudit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, which every JVM has, for the project's checksums: a request body's hash in its signature,
 * a snapshot export against its sidecar, the input files, the fingerprint of a run's identity and the phone-number
 * metadata the shipped prefix table was made from.
 */
public final class Sha256 {

    private Sha256() {
    }

    /** A fresh digest (not thread-safe), e.g. for a {@link DigestInputStream}. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Lower-case hex of the SHA-256 of a file's bytes. */
    public static String hexOf(Path file) throws IOException {
        MessageDigest digest = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Lower-case hex of the SHA-256 of a text's UTF-8 bytes. */
    public static String hexOf(String text) {
        return hexOf(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex of the SHA-256 of some bytes. */
    public static String hexOf(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }
}
