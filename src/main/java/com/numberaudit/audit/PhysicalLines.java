package com.numberaudit.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.numberaudit.number.RejectReason;

/**
 * The physical lines of one input file, one at a time, as bytes decoded strictly: a line that is
 * not UTF-8, holds a NUL or is absurdly long is handed out with its problem, and the next line
 * is read as usual. LF and CRLF endings; a UTF-8 byte order mark on line 1 is dropped.
 */
final class PhysicalLines implements Closeable {

    /** Longer than any real row of number and date could be; such a line is read past, not kept. Its ending does not count. */
    static final int MAX_LINE_BYTES = 4096;

    /** One physical line; {@code problem} is null for a line that decoded cleanly. */
    record Line(long number, String text, RejectReason problem) {
    }

    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkLength;
    private int chunkPosition;
    private final CharsetDecoder strictUtf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** A line at the limit, with room for what does not count: the byte order mark of line 1 and the '\r' of a CRLF. */
    private final byte[] buffer = new byte[3 + MAX_LINE_BYTES + 1];
    private long lineNumber;

    PhysicalLines(Path file) throws IOException {
        this.in = Files.newInputStream(file);
    }

    /** @return the next line, or null at the end of the file */
    Line next() throws IOException {
        int length = 0;
        boolean tooLong = false;
        boolean nul = false;
        boolean endOfFile = false;
        while (true) {
            if (chunkPosition == chunkLength && !fill()) {
                endOfFile = true;
                break;
            }
            byte b = chunk[chunkPosition++];
            if (b == '\n') {
                break;
            }
            if (b == 0) {
                nul = true;
            }
            if (length < buffer.length) {
                buffer[length++] = b;
            } else {
                tooLong = true;
            }
        }
        if (endOfFile && length == 0 && !tooLong) {
            return null;
        }
        lineNumber++;
        int start = 0;
        if (lineNumber == 1 && length >= 3 && buffer[0] == (byte) 0xEF && buffer[1] == (byte) 0xBB && buffer[2] == (byte) 0xBF) {
            start = 3;
        }
        if (length > start && buffer[length - 1] == '\r' && !tooLong) {
            length--;
        }
        if (tooLong || length - start > MAX_LINE_BYTES) {
            return new Line(lineNumber, lenient(start, length), RejectReason.LINE_TOO_LONG);
        }
        String text;
        try {
            text = strictUtf8.decode(ByteBuffer.wrap(buffer, start, length - start)).toString();
        } catch (CharacterCodingException e) {
            return new Line(lineNumber, lenient(start, length), RejectReason.INVALID_UTF8);
        }
        return nul ? new Line(lineNumber, text.replace('\0', '\uFFFD'), RejectReason.NUL_BYTE) : new Line(lineNumber, text, null);
    }

    private boolean fill() throws IOException {
        chunkLength = in.read(chunk);
        chunkPosition = 0;
        if (chunkLength <= 0) {
            chunkLength = 0;
            return false;
        }
        return true;
    }

    /** A readable rendering of a broken line for rejected.csv: invalid bytes and NULs become U+FFFD. */
    private String lenient(int start, int length) {
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(buffer, start, length - start));
        return chars.toString().replace('\0', '\uFFFD');
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
