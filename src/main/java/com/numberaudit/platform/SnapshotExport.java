package com.numberaudit.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.opencsv.CSVReader;
import com.opencsv.exceptions.CsvException;

import com.numberaudit.Sha256;

/**
 * A platform's export of the ids still bound, read only when it proves complete: its sidecar
 * {@code <export>.sha256} ({@code sha256sum} format) names it and matches the very bytes parsed,
 * and every id has the declared id-type's exact form. Absence from the export means NOT_BOUND, so
 * a truncated or reformatted export would release bound numbers; such an export is refused whole.
 */
final class SnapshotExport {

    static final String MISSING = "SNAPSHOT_MISSING";
    static final String UNVERIFIED = "SNAPSHOT_UNVERIFIED";
    static final String UNREADABLE = "SNAPSHOT_UNREADABLE";

    private static final Map<IdType, Pattern> ID_FORMS = Map.of(
            IdType.E164, Pattern.compile("\\+86[0-9]{11}"),
            IdType.HMAC_SHA256, Pattern.compile("[0-9a-f]{64}"));
    private static final Map<IdType, String> ID_FORM_NAMES = Map.of(
            IdType.E164, "+86 and 11 digits",
            IdType.HMAC_SHA256, "64 lower-case hex characters");
    private static final Pattern ACCOUNTS = Pattern.compile("[1-9][0-9]{0,8}");
    /** {@code sha256sum}'s line: the digest, a space, ' ' (text mode) or '*' (binary mode), the file name. */
    private static final Pattern SIDECAR_LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](.+)");
    private static final int SIDECAR_LIMIT = 8192;

    private SnapshotExport() {
    }

    /** Why an export cannot be trusted: the {@code reason} every number of the platform answers, and a message without ids. */
    static final class Refused extends Exception {

        private final String reason;

        Refused(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /**
     * The bound ids of a verified export, each with its number of accounts.
     *
     * @throws Refused {@link #MISSING}, {@link #UNVERIFIED} or {@link #UNREADABLE}, with why
     */
    static Map<String, Integer> boundIds(Path export, IdType idType) throws Refused {
        InputStream raw;
        try {
            raw = Files.newInputStream(export);
        } catch (NoSuchFileException e) {
            throw new Refused(MISSING, "the export does not exist");
        } catch (IOException e) {
            throw new Refused(UNREADABLE, "the export cannot be opened (" + e.getClass().getSimpleName() + ")");
        }
        try (raw) {
            byte[] expected = expectedDigest(export);
            DigestInputStream bytes = new DigestInputStream(raw, Sha256.digest());
            Parsed parsed = parse(new InputStreamReader(bytes, strictUtf8()), idType);
            // the parser may stop early on a bad row; the verdict on the bytes still needs all of them
            bytes.transferTo(OutputStream.nullOutputStream());
            if (!MessageDigest.isEqual(expected, bytes.getMessageDigest().digest())) {
                throw new Refused(UNVERIFIED, "the export's sha256 does not match its sidecar (truncated, or rewritten after it)");
            }
            if (parsed.problem() != null) {
                throw new Refused(UNREADABLE, parsed.problem());
            }
            return parsed.bound();
        } catch (IOException e) {
            throw new Refused(UNREADABLE, "the export cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] expectedDigest(Path export) throws Refused {
        Path sidecar = export.resolveSibling(export.getFileName() + ".sha256");
        byte[] content;
        try (InputStream in = Files.newInputStream(sidecar)) {
            content = in.readNBytes(SIDECAR_LIMIT + 1);
        } catch (NoSuchFileException e) {
            throw new Refused(UNVERIFIED, "no sidecar " + sidecar + " vouches for the export");
        } catch (IOException e) {
            throw new Refused(UNVERIFIED, "the sidecar " + sidecar + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        String line;
        try {
            line = content.length > SIDECAR_LIMIT ? "" : strictUtf8().decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            line = "";
        }
        line = line.endsWith("\r\n") ? line.substring(0, line.length() - 2) : line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        Matcher matcher = SIDECAR_LINE.matcher(line);
        if (!matcher.matches()) {
            throw new Refused(UNVERIFIED, "the sidecar " + sidecar + " is not one sha256sum line ('<64 hex>  <file name>')");
        }
        if (!names(matcher.group(2), export)) {
            throw new Refused(UNVERIFIED, "the sidecar " + sidecar + " is the checksum of another file, not " + export.getFileName());
        }
        return HexFormat.of().parseHex(matcher.group(1));
    }

    /** The sidecar names the export by its file name, by the path the run reads, or by a path to the same file from its folder. */
    private static boolean names(String name, Path export) {
        try {
            Path folder = export.toAbsolutePath().getParent();
            return Path.of(name).equals(export) || folder.resolve(name).normalize().equals(export.toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private record Parsed(Map<String, Integer> bound, String problem) {

        static Parsed refused(String problem) {
            return new Parsed(null, problem);
        }
    }

    private static Parsed parse(Reader text, IdType idType) {
        CSVReader csv = new CSVReader(text);
        try {
            String[] header = csv.readNext();
            if (header == null) {
                return Parsed.refused("the export is empty, without even a header");
            }
            int idColumn = -1;
            int accountsColumn = -1;
            for (int i = 0; i < header.length; i++) {
                String column = header[i].replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
                if (column.equals("id")) {
                    if (idColumn >= 0) {
                        return Parsed.refused("the header has two 'id' columns");
                    }
                    idColumn = i;
                } else if (column.equals("accounts")) {
                    if (accountsColumn >= 0) {
                        return Parsed.refused("the header has two 'accounts' columns");
                    }
                    accountsColumn = i;
                }
            }
            if (idColumn < 0) {
                return Parsed.refused("the header has no 'id' column");
            }
            Pattern idForm = ID_FORMS.get(idType);
            Map<String, Integer> bound = new HashMap<>();
            String[] row;
            while ((row = csv.readNext()) != null) {
                long line = csv.getLinesRead();
                if (row.length == 1 && row[0].isEmpty()) {
                    continue;
                }
                if (row.length != header.length) {
                    return Parsed.refused("line " + line + " has " + row.length + " fields, the header " + header.length);
                }
                if (!idForm.matcher(row[idColumn]).matches()) {
                    return Parsed.refused("line " + line + ": the id is not " + idType.wireName() + " (" + ID_FORM_NAMES.get(idType) + ")");
                }
                String accounts = accountsColumn < 0 ? "" : row[accountsColumn];
                if (!accounts.isEmpty() && !ACCOUNTS.matcher(accounts).matches()) {
                    return Parsed.refused("line " + line + ": accounts is not a whole number from 1");
                }
                bound.put(row[idColumn], accounts.isEmpty() ? 1 : Integer.parseInt(accounts));
            }
            return new Parsed(bound, null);
        } catch (IOException | CsvException e) {
            // the parser's own message quotes the line, which may hold ids
            return Parsed.refused("not valid UTF-8 CSV after line " + csv.getLinesRead() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
