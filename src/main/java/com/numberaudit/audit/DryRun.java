package com.numberaudit.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

import com.numberaudit.AuditProperties;
import com.numberaudit.partition.RemotePartitioning;
import com.numberaudit.ledger.HeldNumbers;
import com.numberaudit.ledger.HeldSet;
import com.numberaudit.number.RejectReason;
import com.numberaudit.platform.BindingCheckApiAdapter;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;
import com.numberaudit.platform.PlatformSettings;

/**
 * {@code --audit.dry-run=true}: what a run of the date would do, doing none of it. The configuration
 * was checked at start-up like a run's (a problem refuses it, exit 2); this reads the input the way
 * the run's reader does (every row classified, duplicates across files) and the numbers the ledger
 * holds, and prints per platform what it would be asked, with the credentials it would present
 * (named, never shown). It asks no platform, takes no lease, starts no job execution and writes no
 * result: a real run afterwards behaves as if it had never been.
 */
@Component
@Conditional(RemotePartitioning.NotWorker.class)
public class DryRun {

    static final String BANNER = "DRY RUN - nothing is asked of any platform, no result is written and no run is recorded";
    /** The pacer spaces a platform's requests 1 % wider than its rate limit ({@code RequestPacer}). */
    private static final double PACING = 1.01;

    private final AuditProperties properties;
    private final AuditTarget target;
    private final List<InputFile> inputFiles;
    private final PlatformRegistry platforms;
    private final HeldSet heldSet;

    public DryRun(AuditProperties properties, AuditTarget target, List<InputFile> inputFiles, PlatformRegistry platforms, HeldSet heldSet) {
        this.properties = properties;
        this.target = target;
        this.inputFiles = inputFiles;
        this.platforms = platforms;
        this.heldSet = heldSet;
    }

    /** @return the exit code: 0, the configuration and the input are fine (anything else refused the start, exit 2) */
    public int print(PrintStream out) {
        out.printf("number-audit %s: %s%n", target.date(), BANNER);
        out.println(platforms.demo() ? "Mode: demo - the built-in simulator would answer for every platform"
                : "Mode: production");
        Survey survey = survey();
        out.printf(Locale.ROOT, "Input: %,d row(s) in %d file(s) of %s: %,d number(s) to check, %,d rejected%s%n", survey.inputRows,
                inputFiles.size(), properties.input().toAbsolutePath().normalize(), survey.inputRows - survey.rejectedTotal(),
                survey.rejectedTotal(), survey.rejected.isEmpty() ? "" : " (" + survey.rejected.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")");
        if (properties.reaudit()) {
            out.printf(Locale.ROOT, "Ledger: %,d held number(s) re-audited after the input (%,d of them also in it)%n", survey.reaudited,
                    survey.held - survey.reaudited);
        } else {
            out.printf(Locale.ROOT, "Ledger: %,d held number(s), not re-audited (audit.reaudit=false)%n", survey.held);
        }
        long ids = survey.checked;
        out.printf(Locale.ROOT, "Platforms: %d enabled, each would be asked about %,d number(s) (fewer where a ticket of an "
                + "earlier night answers them)%n", platforms.platforms().size(), ids);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"platform", "adapter", "url or export", "id-type", "credentials", "ids", "batches", "time at its rate-limit"});
        Duration longest = Duration.ZERO;
        List<String> warnings = new ArrayList<>();
        for (Platform platform : platforms.platforms()) {
            PlatformSettings settings = platform.settings();
            boolean api = BindingCheckApiAdapter.NAME.equals(settings.adapter());
            long batches = api ? (ids + settings.batchSize() - 1) / settings.batchSize() : 0;
            String time;
            if (!api) {
                time = "-";
            } else if (settings.rateLimit() == null) {
                time = "no rate-limit (" + settings.maxConcurrency() + " in flight)";
            } else {
                Duration at = Duration.ofSeconds((long) Math.ceil(batches * PACING / settings.rateLimit()));
                longest = at.compareTo(longest) > 0 ? at : longest;
                time = String.format(Locale.ROOT, "at least %s (%s/s)", Progress.duration(at),
                        settings.rateLimit() % 1 == 0 ? Long.toString(settings.rateLimit().longValue()) : settings.rateLimit().toString());
            }
            String credentials = credentials(platform.id(), settings);
            if (api && !platforms.demo() && credentials.equals("none")) {
                warnings.add(platform.id() + ": no token, hmac-secret or ssl-bundle: its requests would carry no credential");
            }
            rows.add(new String[] {platform.id(), settings.adapter(), api ? platform.shownUrl() : export(settings),
                    settings.idType().wireName(), credentials, String.format(Locale.ROOT, "%,d", ids),
                    api ? String.format(Locale.ROOT, "%,d", batches) : "-", time});
        }
        table(out, rows);
        warnings.forEach(warning -> out.println("Warning: " + warning));
        out.printf("Dry run: the configuration and the input are fine; a real run would ask %d platform(s) about %s number(s)%s.%n",
                platforms.platforms().size(), String.format(Locale.ROOT, "%,d", ids),
                longest.isZero() ? "" : " and take at least " + Progress.duration(longest));
        return AuditRun.COMPLETED;
    }

    /** What the reader would make of the input and of the held numbers. */
    private static final class Survey {
        long inputRows;
        long checked;
        long held;
        long reaudited;
        final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);

        long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Survey survey() {
        HeldNumbers held = heldSet.peek(target.date());
        Survey survey = new Survey();
        survey.held = held.size();
        try {
            PendingNumberReader.survey(inputFiles, held, properties.reaudit(), item -> {
                boolean fromLedger = item instanceof AuditItem.Audited audited ? audited.reaudited()
                        : ((AuditItem.Rejected) item).file().equals(PendingNumberReader.LEDGER);
                if (fromLedger) {
                    survey.reaudited++;
                } else {
                    survey.inputRows++;
                    if (item instanceof AuditItem.Rejected rejected) {
                        survey.rejected.merge(rejected.reason(), 1L, Long::sum);
                    }
                }
                if (item instanceof AuditItem.Audited) {
                    survey.checked++;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the input: " + e.getMessage(), e);
        }
        return survey;
    }

    /** The credentials a platform would present, by name and origin, never by value. */
    private String credentials(String id, PlatformSettings settings) {
        PlatformSettings configured = properties.platforms().get(id);
        List<String> names = new ArrayList<>();
        if (settings.token() != null) {
            names.add("token" + (configured.tokenFile() != null ? " (file)" : ""));
        }
        if (settings.hmacSecret() != null) {
            names.add("hmac-secret" + (configured.hmacSecretFile() != null ? " (file)" : ""));
        }
        if (settings.idKey() != null) {
            names.add("id-key" + (configured.idKeyFile() != null ? " (file)" : ""));
        }
        if (settings.sslBundle() != null) {
            names.add("ssl-bundle " + settings.sslBundle());
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** A snapshot-file platform's export for the date, and whether it and its sidecar are there. */
    private String export(PlatformSettings settings) {
        if (settings.snapshot() == null) {
            return "-";
        }
        Path export = Path.of(settings.snapshot().replace("{date}", target.date().toString()));
        boolean sidecar = Files.isRegularFile(export.resolveSibling(export.getFileName() + ".sha256"));
        return export + (!Files.isRegularFile(export) ? " (missing)" : sidecar ? " (present, with its .sha256)" : " (no .sha256 beside it)");
    }

    private static void table(PrintStream out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < row.length; i++) {
                line.append(' ').append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
