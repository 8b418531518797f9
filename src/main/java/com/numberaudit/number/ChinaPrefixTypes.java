package com.numberaudit.number;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.numberaudit.Sha256;

/**
 * The type libphonenumber gives each 7-digit prefix 1XXXXXX, shipped as {@value #RESOURCE} (22 runs over the million
 * prefixes): asked of libphonenumber, the first number of a prefix costs 4.8–5.7 µs on the reading thread, and a
 * night of numbers spread over many prefixes asks often (bench b: about 87,000 first sightings in 200,000 numbers).
 * The table is used only with the metadata it was made from; with any other the parser asks libphonenumber as before.
 */
final class ChinaPrefixTypes {

    static final String RESOURCE = "china-prefix-types.txt";
    static final String METADATA = "/com/google/i18n/phonenumbers/data/PhoneNumberMetadataProto_CN";
    static final int PREFIXES = 1_000_000;
    static final int FIRST_PREFIX = 1_000_000;
    private static final String METADATA_LINE = "metadata-sha256 ";
    private static final Logger log = LoggerFactory.getLogger(ChinaPrefixTypes.class);
    /** Indexed by prefix − {@value #FIRST_PREFIX}: the type's ordinal plus one; null when the table does not apply. */
    private static final byte[] SHIPPED = shipped();

    private ChinaPrefixTypes() {
    }

    /** A fresh table for one parser: filled from the shipped runs when they apply, otherwise all 0 (not yet asked). */
    static byte[] newTable() {
        return SHIPPED == null ? new byte[PREFIXES] : SHIPPED.clone();
    }

    private static byte[] shipped() {
        try (InputStream table = ChinaPrefixTypes.class.getResourceAsStream(RESOURCE);
             InputStream metadata = PhoneNumberUtil.class.getResourceAsStream(METADATA)) {
            byte[] types = table == null || metadata == null ? null : read(table, metadata.readAllBytes());
            if (types == null) {
                log.info("{} does not match libphonenumber's metadata for China: each 7-digit prefix's type is asked of it", RESOURCE);
            }
            return types;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The runs of {@code table} as a filled table, or null when they were made from metadata other than {@code metadata}. */
    static byte[] read(InputStream table, byte[] metadata) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(table, StandardCharsets.US_ASCII));
        byte[] types = new byte[PREFIXES];
        boolean madeFromThisMetadata = false;
        int runStart = -1;
        byte runType = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (line.startsWith(METADATA_LINE)) {
                madeFromThisMetadata = line.substring(METADATA_LINE.length()).equals(Sha256.hexOf(metadata));
                continue;
            }
            String[] run = line.split(" ");
            int start = Integer.parseInt(run[0]) - FIRST_PREFIX;
            if (runStart < 0 ? start != 0 : start <= runStart || start >= PREFIXES) {
                throw new IllegalStateException(RESOURCE + ": runs out of order at '" + line + "' (the first starts at " + FIRST_PREFIX + ")");
            }
            if (runStart >= 0) {
                Arrays.fill(types, runStart, start, runType);
            }
            runStart = start;
            runType = (byte) (PhoneNumberType.valueOf(run[1]).ordinal() + 1);
        }
        if (runStart < 0) {
            throw new IllegalStateException(RESOURCE + ": no runs");
        }
        Arrays.fill(types, runStart, PREFIXES, runType);
        return madeFromThisMetadata ? types : null;
    }
}
