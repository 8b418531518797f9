package com.numberaudit.platform;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.opencsv.CSVReader;
import com.opencsv.exceptions.CsvValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.numberaudit.number.MobileNumber;

/**
 * The file-exchange mode many carriers use: the platform drops a daily export of the ids still
 * bound there, and this adapter answers from it. The export is a CSV with an {@code id} column
 * (E.164, or hex HMAC-SHA256 with {@code id-type: HMAC-SHA256}) and an optional {@code accounts}
 * column. Every id in the export is BOUND, every other one NOT_BOUND — so an export that is
 * missing or unreadable answers nothing at all (NO_ANSWER), never NOT_BOUND.
 */
public final class SnapshotFileAdapter implements BindingCheckAdapter {

    public static final String NAME = "snapshot-file";
    static final String DATE_PLACEHOLDER = "{date}";
    private static final Logger log = LoggerFactory.getLogger(SnapshotFileAdapter.class);

    private final String platformId;
    private final String fileTemplate;
    private final IdType idType;
    private final Secret idKey;
    private LocalDate loadedFor;
    private Map<String, Integer> boundAccounts;
    private String unavailable;

    SnapshotFileAdapter(Platform platform) {
        PlatformSettings settings = platform.settings();
        this.platformId = platform.id();
        this.fileTemplate = settings.snapshot();
        this.idType = settings.idType();
        this.idKey = settings.idKey();
    }

    @Override
    public synchronized CompletableFuture<List<BindingAnswer>> check(LocalDate asOf, List<MobileNumber> numbers) {
        if (!asOf.equals(loadedFor)) {
            load(asOf);
        }
        if (unavailable != null) {
            return CompletableFuture.completedFuture(Collections.nCopies(numbers.size(), BindingAnswer.noAnswer(unavailable)));
        }
        Hmac hasher = idType == IdType.HMAC_SHA256 ? new Hmac(idKey) : null;
        List<BindingAnswer> answers = new ArrayList<>(numbers.size());
        for (MobileNumber number : numbers) {
            Integer accounts = boundAccounts.get(hasher == null ? number.e164() : hasher.hashedId(number.e164()));
            answers.add(accounts == null ? BindingAnswer.NOT_BOUND : BindingAnswer.bound(accounts));
        }
        return CompletableFuture.completedFuture(answers);
    }

    private void load(LocalDate asOf) {
        loadedFor = asOf;
        boundAccounts = null;
        unavailable = null;
        Path file = Path.of(fileTemplate.replace(DATE_PLACEHOLDER, asOf.toString()));
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVReader csv = new CSVReader(reader)) {
            boundAccounts = read(csv, file);
            log.info("{}: snapshot {} lists {} bound ids", platformId, file, boundAccounts.size());
        } catch (NoSuchFileException e) {
            unavailable = "SNAPSHOT_MISSING";
            log.error("{}: snapshot {} does not exist; the platform's numbers stay undetermined", platformId, file);
        } catch (IOException | CsvValidationException | IllegalArgumentException e) {
            unavailable = "SNAPSHOT_UNREADABLE";
            log.error("{}: snapshot {} is unreadable ({}); the platform's numbers stay undetermined", platformId, file, e.getMessage());
        }
    }

    private static Map<String, Integer> read(CSVReader csv, Path file) throws IOException, CsvValidationException {
        String[] header = csv.readNext();
        int idColumn = -1;
        int accountsColumn = -1;
        for (int i = 0; header != null && i < header.length; i++) {
            String column = header[i].replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
            if (column.equals("id")) {
                idColumn = i;
            } else if (column.equals("accounts")) {
                accountsColumn = i;
            }
        }
        if (idColumn < 0) {
            throw new IllegalArgumentException(file + " has no 'id' column");
        }
        Map<String, Integer> bound = new HashMap<>();
        String[] row;
        while ((row = csv.readNext()) != null) {
            if (row.length <= idColumn || row[idColumn].isBlank()) {
                continue;
            }
            int accounts = accountsColumn >= 0 && row.length > accountsColumn && !row[accountsColumn].isBlank()
                    ? Integer.parseInt(row[accountsColumn].strip()) : 1;
            bound.put(row[idColumn].strip(), accounts);
        }
        return bound;
    }
}
