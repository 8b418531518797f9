package com.numberaudit.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.numberaudit.platform.Hmac;
import com.numberaudit.platform.Secret;
import com.opencsv.CSVReaderHeaderAware;
import com.opencsv.exceptions.CsvValidationException;

/**
 * What the simulator knows: per platform, the numbers still bound (and how many accounts), the
 * numbers it stays silent about, and those it answers only later. Read from a CSV
 * {@code number,platform,status,accounts} where status is BOUND, SILENT or PENDING (a request
 * asking about it gets a 202 ticket, answered once the bindings no longer say PENDING); every
 * other number is NOT_BOUND.
 */
public final class DemoBindings {

    /** What a platform holds for one id. {@code accounts} is 0 for SILENT and PENDING. */
    public record Entry(boolean silent, int accounts, boolean pending) {
    }

    private final Map<String, Map<String, Entry>> byPlatform;

    private DemoBindings(Map<String, Map<String, Entry>> byPlatform) {
        this.byPlatform = byPlatform;
    }

    public static DemoBindings empty() {
        return new DemoBindings(Map.of());
    }

    public static DemoBindings read(InputStream csv, String source) {
        Map<String, Map<String, Entry>> byPlatform = new HashMap<>();
        try (CSVReaderHeaderAware reader = new CSVReaderHeaderAware(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            Map<String, String> row;
            while ((row = reader.readMap()) != null) {
                String status = row.get("status").strip();
                Entry entry = switch (status) {
                    case "BOUND" -> new Entry(false, Integer.parseInt(row.getOrDefault("accounts", "1").strip()), false);
                    case "SILENT" -> new Entry(true, 0, false);
                    case "PENDING" -> new Entry(false, 0, true);
                    default -> throw new IllegalArgumentException(source + " line " + reader.getLinesRead()
                            + ": status must be BOUND, SILENT or PENDING, not '" + status + "'");
                };
                byPlatform.computeIfAbsent(row.get("platform").strip(), id -> new HashMap<>())
                        .put("+86" + row.get("number").strip(), entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simulator bindings " + source, e);
        } catch (CsvValidationException e) {
            throw new IllegalArgumentException("cannot read simulator bindings " + source + ": " + e.getMessage(), e);
        }
        return new DemoBindings(byPlatform);
    }

    /** @return what the platform holds for an E.164 id, or null when it is not bound there */
    public Entry lookup(String platformId, String e164) {
        Map<String, Entry> entries = byPlatform.get(platformId);
        return entries == null ? null : entries.get(e164);
    }

    /** The platform's entries keyed by hashed id, as a platform that receives HMAC-SHA256 ids holds them. */
    public Map<String, Entry> hashedWith(String platformId, Secret idKey) {
        Hmac hmac = new Hmac(idKey);
        Map<String, Entry> hashed = new HashMap<>();
        byPlatform.getOrDefault(platformId, Map.of()).forEach((e164, entry) -> hashed.put(hmac.hashedId(e164), entry));
        return hashed;
    }
}
