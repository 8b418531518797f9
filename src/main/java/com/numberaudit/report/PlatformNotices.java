package com.numberaudit.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.opencsv.CSVReader;
import com.opencsv.exceptions.CsvValidationException;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.PlatformIds;

/**
 * {@code notices/<platform>.csv}: for each platform that still holds bindings tonight, the ids (in its id-type) of the
 * numbers bound there, with the business date: the file the carrier sends the platform so that it forces those
 * accounts to re-verify or unbind before the number is sold again. A platform without bindings tonight gets no file.
 * Read from the night's bound.csv, which lists every number bound tonight with the platforms holding it, so the
 * notices are exact after a kill and restart exactly as bound.csv is.
 */
public final class PlatformNotices {

    /** The folder of the notices in the night's results. */
    public static final String FOLDER = "notices";
    static final String HEADER = "date,id_type,id";

    private PlatformNotices() {
    }

    /**
     * @param boundCsv  the night's bound.csv ({@code number,cancelled_on,platforms,held_since})
     * @param folder    where the notices go (exists, empty)
     * @param platforms the run's platforms by id, each with how it names numbers
     * @return per platform id with a notice (sorted), how many ids it lists
     */
    public static Map<String, Long> write(Path boundCsv, Path folder, LocalDate date, Map<String, PlatformIds> platforms)
            throws IOException {
        Map<String, Notice> notices = new TreeMap<>();
        try (Reader reader = Files.newBufferedReader(boundCsv, StandardCharsets.UTF_8);
             CSVReader bound = new CSVReader(reader)) {
            List<String> header = Arrays.asList(bound.readNext());
            int number = header.indexOf("number");
            int platformsHolding = header.indexOf("platforms");
            for (String[] row; (row = bound.readNext()) != null; ) {
                MobileNumber boundNumber = MobileNumber.ofNational(row[number]);
                for (String id : row[platformsHolding].split(";")) {
                    notices.computeIfAbsent(id, platform -> Notice.open(folder, platform, platforms.get(platform), date)).add(boundNumber);
                }
            }
        } catch (CsvValidationException e) {
            throw new IOException("cannot read " + boundCsv + ": " + e.getMessage(), e);
        } finally {
            for (Notice notice : notices.values()) {
                notice.out.close();
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        notices.forEach((platform, notice) -> counts.put(platform, notice.ids));
        return counts;
    }

    /** One platform's notice being written: its file, how the platform names numbers, how many ids so far. */
    private static final class Notice {

        private final Writer out;
        private final PlatformIds platformIds;
        private final String rowStart;
        private long ids;

        private Notice(Writer out, PlatformIds platformIds, String rowStart) {
            this.out = out;
            this.platformIds = platformIds;
            this.rowStart = rowStart;
        }

        static Notice open(Path folder, String platform, PlatformIds platformIds, LocalDate date) {
            if (platformIds == null) {
                throw new IllegalStateException("bound.csv names the platform " + platform + ", which this run does not ask");
            }
            try {
                BufferedWriter out = Files.newBufferedWriter(folder.resolve(platform + ".csv"), StandardCharsets.UTF_8);
                out.write(HEADER + "\n");
                return new Notice(out, platformIds, date + "," + platformIds.idType().wireName() + ",");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the notice of " + platform + " in " + folder, e);
            }
        }

        void add(MobileNumber number) {
            try {
                out.write(rowStart + platformIds.of(number) + "\n");
                ids++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
