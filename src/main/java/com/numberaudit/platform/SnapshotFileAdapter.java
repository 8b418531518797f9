package com.numberaudit.platform;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.numberaudit.number.MobileNumber;

/**
 * The file-exchange mode many carriers use: the platform drops a daily export of the ids still
 * bound there, and this adapter answers from it. The export is a CSV with an {@code id} column
 * (E.164, or hex HMAC-SHA256 with {@code id-type: HMAC-SHA256}) and an optional {@code accounts}
 * column, vouched for by a {@code sha256sum} sidecar (see {@link SnapshotExport}). Every id in the
 * export is BOUND, every other one NOT_BOUND — so an export that is missing, unverified or
 * unreadable answers nothing at all (NO_ANSWER), never NOT_BOUND.
 */
public final class SnapshotFileAdapter implements BindingCheckAdapter {

    public static final String NAME = "snapshot-file";
    static final String DATE_PLACEHOLDER = "{date}";
    private static final Logger log = LoggerFactory.getLogger(SnapshotFileAdapter.class);

    private final String platformId;
    private final String fileTemplate;
    private final PlatformIds platformIds;
    private LocalDate loadedFor;
    private Map<String, Integer> boundAccounts;
    private String unavailable;

    SnapshotFileAdapter(Platform platform) {
        PlatformSettings settings = platform.settings();
        this.platformId = platform.id();
        this.fileTemplate = settings.snapshot();
        this.platformIds = PlatformIds.of(settings);
    }

    @Override
    public synchronized CompletableFuture<List<BindingAnswer>> check(LocalDate asOf, List<MobileNumber> numbers) {
        if (!asOf.equals(loadedFor)) {
            load(asOf);
        }
        if (unavailable != null) {
            return CompletableFuture.completedFuture(Collections.nCopies(numbers.size(), BindingAnswer.noAnswer(unavailable)));
        }
        List<BindingAnswer> answers = new ArrayList<>(numbers.size());
        for (MobileNumber number : numbers) {
            Integer accounts = boundAccounts.get(platformIds.of(number));
            answers.add(accounts == null ? BindingAnswer.NOT_BOUND : BindingAnswer.bound(accounts));
        }
        return CompletableFuture.completedFuture(answers);
    }

    private void load(LocalDate asOf) {
        loadedFor = asOf;
        boundAccounts = null;
        unavailable = null;
        Path file = Path.of(fileTemplate.replace(DATE_PLACEHOLDER, asOf.toString()));
        try {
            boundAccounts = SnapshotExport.boundIds(file, platformIds.idType());
            log.info("{}: snapshot {} matches its sha256 sidecar and lists {} bound ids", platformId, file, boundAccounts.size());
        } catch (SnapshotExport.Refused e) {
            unavailable = e.reason();
            log.error("{}: {} for snapshot {}: {}; the platform's numbers stay undetermined", platformId, e.reason(), file, e.getMessage());
        }
    }
}
