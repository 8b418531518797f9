package com.numberaudit.audit;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.numberaudit.ledger.HeldSet;
import com.numberaudit.platform.Hmac;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;
import com.numberaudit.platform.PlatformSettings;
import com.numberaudit.Sha256;

/**
 * What a run of a date is, beyond its date: the enabled platforms (adapter, where they are
 * asked, id type — never a secret), every input file (name, size, SHA-256), the output folder,
 * and the ledger's held set the night took (whether it is re-audited, how many numbers, their
 * SHA-256). A restart must have the same fingerprint as the run it resumes, or its results would
 * mix two set-ups (a platform asked for half the numbers, rows counted from another file, held
 * numbers re-audited in other places).
 *
 * @param entries ordered {@code key -> value}; keys {@code output}, {@code platform.<id>.<attribute>}, {@code input.<name>},
 *                {@code partitions}, {@code reaudit}, {@code held}
 */
public record RunFingerprint(Map<String, String> entries) {

    private static final String PLATFORM = "platform.";
    private static final String INPUT = "input.";
    private static final String REAUDIT = "reaudit";
    private static final String HELD = "held";
    private static final String PARTITIONS = "partitions";
    private static final String ID_KEY_LABEL = "number-audit run fingerprint";

    public RunFingerprint {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    static RunFingerprint of(AuditTarget target, List<InputFile> inputFiles, PlatformRegistry registry) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("output", target.output().toString());
        for (Platform platform : registry.platforms()) {
            String key = PLATFORM + platform.id() + ".";
            PlatformSettings settings = platform.settings();
            entries.put(key + "adapter", settings.adapter());
            entries.put(key + "url", registry.demo() ? "the built-in simulator" : location(platform));
            entries.put(key + "id-type", settings.idType().wireName());
            if (settings.idKey() != null) {
                // a changed key would hash the same numbers to other ids; its HMAC over a fixed label tells nothing of it
                entries.put(key + "id-key", "hmac " + new Hmac(settings.idKey()).hashedId(ID_KEY_LABEL).substring(0, 16));
            }
        }
        for (InputFile file : inputFiles) {
            entries.put(INPUT + file.name(), "size " + file.size() + ", sha256 " + file.sha256());
        }
        return new RunFingerprint(entries);
    }

    /**
     * This identity with how many partitions the night runs as ({@code audit.partitions}): each partition's rows, part
     * files and committed positions belong to its range, so a night begun with N partitions resumes only with N. One
     * (the single node) adds nothing, so a single node's identity is what it was before partitions existed.
     */
    RunFingerprint withPartitions(int partitions) {
        if (partitions == 1) {
            return this;
        }
        Map<String, String> withPartitions = new LinkedHashMap<>(entries);
        withPartitions.put(PARTITIONS, Integer.toString(partitions));
        return new RunFingerprint(withPartitions);
    }

    /** How many partitions the night runs as: 1 for the single node. */
    int partitions() {
        String partitions = entries.get(PARTITIONS);
        return partitions == null ? 1 : Integer.parseInt(partitions);
    }

    /**
     * This identity with the night's held set: what {@code audit.reaudit} was and which numbers the night
     * took from the ledger ({@link HeldSet.Summary}). An empty held set adds nothing (then {@code audit.reaudit}
     * changes nothing either): so a run of a number-audit before the ledger, whose identity has neither, is
     * still resumed, or found completed, by this one as long as nothing is held.
     */
    RunFingerprint withHeldSet(boolean reaudit, HeldSet.Summary held) {
        if (held.numbers() == 0) {
            return this;
        }
        Map<String, String> withHeld = new LinkedHashMap<>(entries);
        withHeld.put(REAUDIT, Boolean.toString(reaudit));
        withHeld.put(HELD, held.toString());
        return new RunFingerprint(withHeld);
    }

    /**
     * Where the platform is asked: its url without user info (a credential), its query reduced to
     * a hash (it may hold one too); a snapshot's path, absolute.
     */
    private static String location(Platform platform) {
        URI url = platform.baseUrl();
        if (url == null) {
            return platform.settings().snapshot() == null ? "" : Path.of(platform.settings().snapshot()).toAbsolutePath().normalize().toString();
        }
        String authority = Objects.toString(url.getRawAuthority(), "");
        return url.getScheme() + "://" + authority.substring(authority.indexOf('@') + 1) + Objects.toString(url.getRawPath(), "")
                + (url.getRawQuery() == null ? "" : "?query sha256 " + Sha256.hexOf(url.getRawQuery()).substring(0, 16));
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
            } else if (key.equals(PARTITIONS)) {
                lines.add("audit.partitions: " + Objects.requireNonNullElse(before, "1") + " in " + which + ", "
                        + Objects.requireNonNullElse(now, "1") + " now");
            } else if (key.equals(REAUDIT)) {
                lines.add("audit.reaudit: " + (before == null ? "not known to " + which + " (an earlier number-audit)" : before + " in " + which)
                        + ", " + now + " now");
            } else if (key.equals(HELD)) {
                lines.add("the ledger's held set: " + (before == null ? "none in " + which : before + " in " + which) + ", " + now + " now");
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
                } else if (attribute.equals("id-key")) {
                    lines.add("audit.platforms." + id + ".id-key changed since " + which);
                } else {
                    lines.add("audit.platforms." + id + "." + attribute + ": " + before + " in " + which + ", " + now + " now");
                }
            } else {
                lines.add(key + ": " + before + " in " + which + ", " + now + " now");
            }
        }
        return lines;
    }

    /** SHA-256 of every entry in order: names this identity in summary.json. */
    public String digest() {
        StringBuilder text = new StringBuilder();
        entries.forEach((key, value) -> text.append(key).append('\0').append(value).append('\0'));
        return Sha256.hexOf(text.toString());
    }
}
