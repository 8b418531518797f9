package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.audit.PhysicalLines.Line;
import com.numberaudit.number.RejectReason;

class PhysicalLinesTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path dir;

    @Test
    void readsLfAndCrlfLinesWithoutTheirEndings() throws IOException {
        List<Line> lines = read(ascii("number\n13832738807\r\n13912345678\n"));

        assertThat(lines).containsExactly(
                new Line(1, "number", null),
                new Line(2, "13832738807", null),
                new Line(3, "13912345678", null));
    }

    @Test
    void dropsTheByteOrderMarkOnLineOneOnly() throws IOException {
        List<Line> lines = read(bytes(BOM, ascii("number\n"), BOM, ascii("13832738807\n")));

        assertThat(lines).extracting(Line::text).containsExactly("number", "\uFEFF13832738807");
    }

    @Test
    void invalidUtf8LineIsReportedAndTheNextLineReadsFine() throws IOException {
        List<Line> lines = read(bytes(ascii("13832738807,"), new byte[] {(byte) 0xC3, 0x28}, ascii("\n13912345678\n")));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).problem()).isEqualTo(RejectReason.INVALID_UTF8);
        assertThat(lines.get(0).text()).startsWith("13832738807,");
        assertThat(lines.get(1)).isEqualTo(new Line(2, "13912345678", null));
    }

    @Test
    void lineWithNulByteIsReportedWithTheNulReplaced() throws IOException {
        List<Line> lines = read(bytes(ascii("138"), new byte[] {0}, ascii("32738807\nnext\n")));

        assertThat(lines.get(0).problem()).isEqualTo(RejectReason.NUL_BYTE);
        assertThat(lines.get(0).text()).isEqualTo("138\uFFFD32738807");
        assertThat(lines.get(1)).isEqualTo(new Line(2, "next", null));
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() throws IOException {
        String longest = "9".repeat(PhysicalLines.MAX_LINE_BYTES);

        List<Line> lines = read(ascii(longest + "\n"));

        assertThat(lines).containsExactly(new Line(1, longest, null));
    }

    @Test
    void lineOfExactlyTheLimitIsAcceptedBehindAByteOrderMarkAndBeforeACrlf() throws IOException {
        String longest = "9".repeat(PhysicalLines.MAX_LINE_BYTES);

        List<Line> lines = read(bytes(BOM, ascii(longest + "\r\n" + longest + "\r\n" + longest + "\r")));

        assertThat(lines).containsExactly(new Line(1, longest, null), new Line(2, longest, null), new Line(3, longest, null));
    }

    @Test
    void lineOneByteOverTheLimitIsTooLongWhateverItsEnding() throws IOException {
        String tooLong = "9".repeat(PhysicalLines.MAX_LINE_BYTES + 1);

        List<Line> lines = read(ascii(tooLong + "\n" + tooLong + "\r\n" + tooLong));

        assertThat(lines).extracting(Line::problem).containsExactly(
                RejectReason.LINE_TOO_LONG, RejectReason.LINE_TOO_LONG, RejectReason.LINE_TOO_LONG);
    }

    @Test
    void lineLongerThanTheLimitIsReportedAndTheNextLineReadsFine() throws IOException {
        String tooLong = "9".repeat(PhysicalLines.MAX_LINE_BYTES * 3 + 1);

        List<Line> lines = read(ascii("number\n" + tooLong + "\n13832738807\n"));

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).number()).isEqualTo(2);
        assertThat(lines.get(1).problem()).isEqualTo(RejectReason.LINE_TOO_LONG);
        assertThat(lines.get(2)).isEqualTo(new Line(3, "13832738807", null));
    }

    @Test
    void lineNumbersAreOneBasedAndCountBlankLines() throws IOException {
        List<Line> lines = read(ascii("number\n\n\r\n13832738807\n"));

        assertThat(lines).containsExactly(
                new Line(1, "number", null),
                new Line(2, "", null),
                new Line(3, "", null),
                new Line(4, "13832738807", null));
    }

    @Test
    void lastLineWithoutNewlineIsReturned() throws IOException {
        List<Line> lines = read(ascii("number\r\n13832738807"));

        assertThat(lines).containsExactly(new Line(1, "number", null), new Line(2, "13832738807", null));
    }

    @Test
    void trailingNewlineDoesNotMakeAnExtraLine() throws IOException {
        assertThat(read(ascii("number\n13832738807\n"))).hasSize(2);
        assertThat(read(new byte[0])).isEmpty();
    }

    private List<Line> read(byte[] content) throws IOException {
        Path file = Files.write(dir.resolve("input.csv"), content);
        List<Line> lines = new ArrayList<>();
        try (PhysicalLines physicalLines = new PhysicalLines(file)) {
            Line line;
            while ((line = physicalLines.next()) != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }
}
