package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A secret handed over as a file, the way Kubernetes and systemd do: read as written, less one line break. */
class SecretTest {

    private static final String TOKEN = "tok-f1le-5ecret";

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "\r\n"})
    void oneTrailingLineBreakIsNotPartOfTheSecret(String lineBreak) throws IOException {
        Path file = Files.writeString(work.resolve("token"), TOKEN + lineBreak);

        assertThat(Secret.readFrom(file)).isEqualTo(new Secret(TOKEN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n\n", "\r\n\r\n", " \n", "\t"})
    void moreWhiteSpaceThanOneLineBreakIsRefusedWithoutShowingTheSecret(String trailing) throws IOException {
        Path file = Files.writeString(work.resolve("token"), TOKEN + trailing);

        assertThatThrownBy(() -> Secret.readFrom(file))
                .hasMessage(file + ": a secret must not start or end with white space or hold control characters "
                        + "(one trailing line break is allowed)")
                .hasMessageNotContaining(TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "\r\n"})
    void anEmptyFileIsRefusedNamingIt(String content) throws IOException {
        Path file = Files.writeString(work.resolve("token"), content);

        assertThatThrownBy(() -> Secret.readFrom(file)).hasMessage(file + ": empty");
    }

    @Test
    void aMissingFileIsRefusedNamingIt() {
        Path file = work.resolve("not-mounted/token");

        assertThatThrownBy(() -> Secret.readFrom(file)).hasMessage(file + ": no such file");
    }

    @Test
    void aFolderIsRefusedNamingIt() {
        assertThatThrownBy(() -> Secret.readFrom(work)).hasMessage(work + ": cannot be read (a directory)");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithoutShowingThem() throws IOException {
        Path file = Files.write(work.resolve("token"), new byte[] {'k', (byte) 0xC3, '(', 'x'});

        assertThatThrownBy(() -> Secret.readFrom(file)).hasMessage(file + ": not UTF-8 text");
    }

    @Test
    void aFileTooLargeToBeASecretIsRefused() throws IOException {
        Path file = Files.writeString(work.resolve("app.log"), "x".repeat(64 * 1024 + 1), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Secret.readFrom(file)).hasMessage(file + ": larger than 64 KiB, not a secret");
    }
}
