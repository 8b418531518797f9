package com.numberaudit.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A credential from configuration (token, signing secret, id key). Its {@link #toString()}
 * never shows the value, so a secret cannot leak through a log line, a report or an exception.
 * A value with white space around it or a control character inside is refused: it is almost
 * always a paste or file-reading accident, and sent as it is it would fail every request.
 */
public record Secret(String value) {

    /** Far above any token or key; a larger file is not a secret but a wrong path (a log, a dump). */
    private static final int MAX_FILE_BYTES = 64 * 1024;

    public Secret {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        if (!value.strip().equals(value) || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a secret must not start or end with white space or hold control characters");
        }
    }

    /**
     * The secret held in {@code file}, UTF-8, without one trailing line break ({@code \n} or
     * {@code \r\n}): how Kubernetes secret volumes and systemd's {@code LoadCredential} hand secrets
     * over, and what {@code echo "$TOKEN" > file} writes.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it, never its content
     */
    public static Secret readFrom(Path file) {
        String shown = file.toAbsolutePath().toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(shown + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(shown + ": not readable (permission denied)");
        } catch (IOException e) {
            throw new IllegalArgumentException(shown + ": cannot be read" + (Files.isDirectory(file) ? " (a directory)" : ""));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(shown + ": larger than " + MAX_FILE_BYTES / 1024 + " KiB, not a secret");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(shown + ": not UTF-8 text");
        }
        String value = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (value.isEmpty()) {
            throw new IllegalArgumentException(shown + ": empty");
        }
        try {
            return new Secret(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(shown + ": " + e.getMessage() + " (one trailing line break is allowed)");
        }
    }

    @Override
    public String toString() {
        return "******";
    }
}
