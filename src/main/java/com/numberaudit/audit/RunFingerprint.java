package com.numberaudit.audit;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;

/**
 * What a run of a date is, beyond its date: the enabled platforms (adapter, where they are
 * asked, id type — never a secret), every input file (name, size, SHA-256) and the output
 * folder. A restart must have the same fingerprint as the run it resumes, or its results would
 * mix two set-ups (a platform asked for half the numbers, rows counted from another file).
 *
 * @param entries ordered {@code key -> value}; keys {@code output}, {@code platform.<id>.<attribute>}, {@code input.<name>}
 */
public record RunFingerprint(Map<String, String> entries) {

    private static final String PLATFORM = "platform.";
    private static final String INPUT = "input.";

    public RunFingerprint {
        entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    static RunFingerprint of(AuditTarget target, List<InputFile> inputFiles, PlatformRegistry registry) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("output", target.output().toString());
        for (Platform platform : registry.platforms()) {
            String key = PLATFORM + platform.id() + ".";
            entries.put(key + "adapter", platform.settings().adapter());
            entries.put(key + "url", registry.demo() ? "the built-in simulator" : location(platform));
            entries.put(key + "id-type", platform.settings().idType().wireName());
        }
        for (InputFile file : inputFiles) {
            entries.put(INPUT + file.name(), "size " + file.size() + ", sha256 " + file.sha256());
        }
        return new RunFingerprint(entries);
    }

    /** Where the platform is asked, without user info, query or fragment (they may hold credentials). */
    private static String location(Platform platform) {
        URI url = platform.baseUrl();
        if (url == null) {
            return Objects.toString(platform.settings().snapshot(), "");
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + Objects.toString(url.getRawPath(), "");
    }

    /**
     * One line per difference, as an operator reads it, e.g. {@code input a.csv changed since the
     * interrupted run} or {@code audit.platforms.bilibili.enabled: false in the interrupted run, true now}.
     *
     * @param earlier what the earlier run was
     * @param which   names the earlier run: "the interrupted run", "the completed run"
     */
    List<String> differencesFrom(RunFingerprint earlier, String which) {
        List<String> lines = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(earlier.entries.keySet());
        keys.addAll(entries.keySet());
        Set<String> platformsReported = new LinkedHashSet<>();
        for (String key : keys) {
            String before = earlier.entries.get(key);
            String now = entries.get(key);
            if (Objects.equals(before, now)) {
                continue;
            }
            if (key.equals("output")) {
                lines.add("audit.output: " + before + " in " + which + ", " + now + " now");
            } else if (key.startsWith(INPUT)) {
                String name = key.substring(INPUT.length());
                lines.add("input " + name + (before == null ? " is new since " + which
                        : now == null ? " was read by " + which + " and is gone now" : " changed since " + which));
            } else if (key.startsWith(PLATFORM)) {
                String id = key.substring(PLATFORM.length(), key.lastIndexOf('.'));
                String attribute = key.substring(key.lastIndexOf('.') + 1);
                boolean wasEnabled = earlier.entries.containsKey(PLATFORM + id + ".adapter");
                boolean isEnabled = entries.containsKey(PLATFORM + id + ".adapter");
                if (wasEnabled != isEnabled) {
                    if (platformsReported.add(id)) {
                        lines.add("audit.platforms." + id + ".enabled: " + wasEnabled + " in " + which + ", " + isEnabled + " now");
                    }
                } else {
                    lines.add("audit.platforms." + id + "." + attribute + ": " + before + " in " + which + ", " + now + " now");
                }
            } else {
                lines.add(key + ": " + before + " in " + which + ", " + now + " now");
            }
        }
        return lines;
    }

    /** The form kept with the execution: one {@code key=value} line per entry. */
    String encode() {
        StringBuilder text = new StringBuilder();
        entries.forEach((key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
        return text.toString();
    }

    static RunFingerprint decode(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                entries.put(line.substring(0, equals), unescape(line.substring(equals + 1)));
            }
        }
        return new RunFingerprint(entries);
    }

    /** SHA-256 of {@link #encode()}: names this identity in summary.json. */
    public String digest() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encode().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String unescape(String value) {
        StringBuilder text = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                text.append(value.charAt(++i) == 'n' ? '\n' : value.charAt(i));
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
