package com.numberaudit.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.opencsv.ICSVParser;
import com.opencsv.CSVParserBuilder;

import com.numberaudit.Sha256;

/**
 * One input CSV and where its columns are: {@code number} (required, any case, any position)
 * and {@code cancelled_on} (optional). The header is the first non-blank line. Its size and
 * SHA-256, taken before anything is read, are part of the run's identity.
 *
 * @param rowsAtMost its physical lines but the header, counted in the pass that takes the SHA-256: the data rows, and
 *                   any blank line (the reader skips those), so never fewer than the rows it holds. A quoted field
 *                   over several lines is no exception: every physical line is a row of its own (rejected, if broken).
 */
record InputFile(Path path, int numberColumn, int cancelledOnColumn, long size, String sha256, long rowsAtMost) {

    /**
     * Strict about quotes (an unterminated one is an error, not a field running into the next line), no backslash escapes.
     * A parser has state: after an unterminated quote it misreads a next line that starts with {@code ""}, so that line
     * needs a new one.
     */
    static ICSVParser csvParser() {
        return new CSVParserBuilder().withEscapeChar(ICSVParser.NULL_CHARACTER).build();
    }

    String name() {
        return path.getFileName().toString();
    }

    /**
     * Lists and checks the input before anything is processed.
     *
     * @param input a directory of {@code *.csv} files (sorted by name) or one file
     * @throws AuditInputException naming the file when the input cannot be audited
     */
    static List<InputFile> resolve(Path input) {
        List<Path> paths;
        if (Files.isDirectory(input)) {
            try (Stream<Path> entries = Files.list(input)) {
                paths = entries.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"))
                        .filter(Files::isRegularFile)
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new AuditInputException("cannot list input directory " + input + ": " + e.getMessage());
            }
            if (paths.isEmpty()) {
                throw new AuditInputException("no *.csv file in input directory " + input);
            }
        } else if (Files.isRegularFile(input)) {
            paths = List.of(input);
        } else {
            throw new AuditInputException("input " + input + " does not exist (audit.input)");
        }
        return paths.stream().map(InputFile::open).toList();
    }

    private static InputFile open(Path path) {
        try (PhysicalLines lines = new PhysicalLines(path)) {
            long size = Files.size(path);
            Contents contents = Contents.of(path);
            PhysicalLines.Line line;
            while ((line = lines.next()) != null) {
                if (line.problem() != null) {
                    throw new AuditInputException(path + " line " + line.number() + ": unreadable header (" + line.problem() + ")");
                }
                if (!line.text().isBlank()) {
                    return fromHeader(path, line, size, contents);
                }
            }
            throw new AuditInputException(path + ": empty file, no header row with a 'number' column");
        } catch (IOException e) {
            throw new AuditInputException("cannot read " + path + ": " + e.getMessage());
        }
    }

    /**
     * Whether the file still has the size and SHA-256 it had when the run started: rows appended
     * after the reader passed the end would be in no result file.
     */
    boolean unchanged() {
        try {
            return Files.size(path) == size && Sha256.hexOf(path).equals(sha256);
        } catch (IOException e) {
            return false;
        }
    }

    private static InputFile fromHeader(Path path, PhysicalLines.Line header, long size, Contents contents) throws IOException {
        String[] columns = csvParser().parseLine(header.text());
        int number = -1;
        int cancelledOn = -1;
        for (int i = 0; i < columns.length; i++) {
            String column = columns[i].strip().toLowerCase(Locale.ROOT);
            if (column.equals("number") && number < 0) {
                number = i;
            } else if (column.equals("cancelled_on") && cancelledOn < 0) {
                cancelledOn = i;
            }
        }
        if (number < 0) {
            throw new AuditInputException(path + " line " + header.number() + ": header has no 'number' column");
        }
        return new InputFile(path, number, cancelledOn, size, contents.sha256(), Math.max(0, contents.lines() - 1));
    }

    /** A file's SHA-256 and its physical lines as {@link PhysicalLines} counts them (LF-ended, the last one may not be). */
    private record Contents(String sha256, long lines) {

        static Contents of(Path path) throws IOException {
            MessageDigest digest = Sha256.digest();
            byte[] buffer = new byte[1 << 16];
            long lineEnds = 0;
            byte last = '\n';
            try (InputStream in = Files.newInputStream(path)) {
                for (int read; (read = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, read);
                    for (int i = 0; i < read; i++) {
                        if (buffer[i] == '\n') {
                            lineEnds++;
                        }
                    }
                    last = buffer[read - 1];
                }
            }
            return new Contents(HexFormat.of().formatHex(digest.digest()), lineEnds + (last == '\n' ? 0 : 1));
        }
    }
}
