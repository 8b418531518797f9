package com.numberaudit.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.infrastructure.item.file.FlatFileItemWriter;
import org.springframework.batch.infrastructure.item.file.builder.FlatFileItemWriterBuilder;
import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;
import org.springframework.core.io.FileSystemResource;

import com.numberaudit.ledger.Ledger;
import com.numberaudit.ledger.LedgerEntry;
import com.numberaudit.ledger.Night;
import com.numberaudit.report.AuditTotals;

/**
 * Waits for the verdicts of a chunk and writes every row to exactly one of clean.csv, bound.csv,
 * undetermined.csv and rejected.csv, in the run's staging folder (see {@link ResultPublication}),
 * and what the chunk found to the {@link Ledger}, in the chunk's transaction.
 * The four files are Spring Batch flat-file writers: written and forced to disk on commit, and
 * cut back to the last commit on restart, so no row is lost or written twice, and the ledger
 * holds exactly the chunks the files do.
 */
final class AuditResultWriter implements ItemStreamWriter<AuditItem>, StepExecutionListener {

    /** The four result files by name (without {@code .csv}), in the order written, each with its header row. */
    static final Map<String, String> HEADERS = headers();

    private final Path folder;
    private final BindingCheckDispatcher dispatcher;
    private final AuditTotals totals;
    private final Runnable fence;
    private final Ledger ledger;
    private Night night;
    private final FlatFileItemWriter<String[]> clean;
    private final FlatFileItemWriter<String[]> bound;
    private final FlatFileItemWriter<String[]> undetermined;
    private final FlatFileItemWriter<String[]> rejected;
    /** A partition's part files only, by name: the CRC32C of what each holds, committed with its length. */
    private final Map<String, PartChecksum> checksums = new LinkedHashMap<>();

    /**
     * @param fence run last in each chunk's write, inside its transaction, after the wait for the chunk's
     *              verdicts (so the lease row it locks stays locked only until the commit): fails the chunk when this
     *              process may no longer write the run ({@link com.numberaudit.repository.RunLease#confirmHeld()})
     * @param ledger records what each chunk found, in the chunk's transaction
     */
    AuditResultWriter(Path folder, BindingCheckDispatcher dispatcher, AuditTotals totals, Runnable fence, Ledger ledger) {
        this(folder, true, dispatcher, totals, fence, ledger);
    }

    /**
     * @param headers whether each file begins with its header row: a partition's part files have none (the merge writes
     *                it once, see {@link PartitionOutputs})
     */
    AuditResultWriter(Path folder, boolean headers, BindingCheckDispatcher dispatcher, AuditTotals totals, Runnable fence, Ledger ledger) {
        this.folder = folder;
        this.dispatcher = dispatcher;
        this.totals = totals;
        this.fence = fence;
        this.ledger = ledger;
        this.clean = file("clean", headers);
        this.bound = file("bound", headers);
        this.undetermined = file("undetermined", headers);
        this.rejected = file("rejected", headers);
    }

    /** A result file with its header row, or a part file without, whose lines are checksummed as they are written. */
    private FlatFileItemWriter<String[]> file(String name, boolean headers) {
        if (headers) {
            return csv(folder, name, HEADERS.get(name), new CsvLineAggregator());
        }
        PartChecksum checksum = new PartChecksum(folder.resolve(name + ".csv"));
        checksums.put(name, checksum);
        return csv(folder, name, null, checksum);
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        night = AuditRun.nightOf(stepExecution.getJobParameters());
    }

    /**
     * The key under which a result file's writer keeps in the step's context how long the file was at the last commit
     * (Spring Batch's {@code FlatFileItemWriter}: {@code <writer name>.current.count}, in bytes).
     *
     * @param name the file's name without {@code .csv}
     */
    static String committedLengthKey(String name) {
        return name + "Csv.current.count";
    }

    /** The key under which a part file's {@link PartChecksum} is kept in the step's context at each commit. */
    static String committedChecksumKey(String name) {
        return name + "Csv.crc32c";
    }

    /** @param header the first row, or null for none */
    private static FlatFileItemWriter<String[]> csv(Path folder, String name, String header, LineAggregator<String[]> lines) {
        FlatFileItemWriterBuilder<String[]> file = new FlatFileItemWriterBuilder<String[]>()
                .name(name + "Csv")
                .resource(new FileSystemResource(folder.resolve(name + ".csv")))
                .encoding("UTF-8")
                .lineSeparator("\n")
                .lineAggregator(lines)
                .shouldDeleteIfExists(true)
                .forceSync(true);
        if (header != null) {
            file.headerCallback(writer -> writer.write(header));
        }
        return file.build();
    }

    @Override
    public void write(Chunk<? extends AuditItem> chunk) throws Exception {
        long lastSequence = -1;
        for (AuditItem item : chunk) {
            if (item instanceof AuditItem.Audited audited) {
                lastSequence = audited.check().sequence();
            }
        }
        dispatcher.sendUpTo(lastSequence);
        Chunk<String[]> cleanRows = new Chunk<>();
        Chunk<String[]> boundRows = new Chunk<>();
        Chunk<String[]> undeterminedRows = new Chunk<>();
        Chunk<String[]> rejectedRows = new Chunk<>();
        List<LedgerEntry> checked = new ArrayList<>(chunk.size());
        for (AuditItem item : chunk) {
            if (item instanceof AuditItem.Rejected r) {
                rejectedRows.add(new String[] {r.file(), Long.toString(r.line()), r.value(), r.reason().name()});
                totals.countRejected(r.reason());
                if (r.file().equals(PendingNumberReader.LEDGER)) {
                    totals.countReaudited();
                }
                continue;
            }
            AuditItem.Audited a = (AuditItem.Audited) item;
            BindingVerdict verdict = dispatcher.await(a.check());
            totals.countAnswers(a.check().answers());
            checked.add(new LedgerEntry(a.check().sequence(), a.number(), a.cancelledOn(), a.heldSince(), a.reaudited(),
                    a.check().answers()));
            if (a.reaudited()) {
                totals.countReaudited();
            }
            String number = a.number().national();
            // a hold that began tonight (an earlier run of this date) is not one an earlier night began
            String heldSince = a.heldSince() == null || !a.heldSince().isBefore(night.date()) ? "" : a.heldSince().toString();
            switch (verdict.outcome()) {
                case CLEAN -> {
                    cleanRows.add(new String[] {number, a.cancelledOn(), heldSince});
                    totals.countClean();
                }
                case BOUND -> {
                    boundRows.add(new String[] {number, a.cancelledOn(), String.join(";", verdict.platforms()), heldSince});
                    totals.countBound();
                }
                case UNDETERMINED -> {
                    undeterminedRows.add(new String[] {number, a.cancelledOn(),
                            String.join(";", verdict.platforms()), verdict.reason(), heldSince});
                    totals.countUndetermined();
                }
            }
        }
        ledger.record(night, checked, dispatcher.openTickets());
        clean.write(cleanRows);
        bound.write(boundRows);
        undetermined.write(undeterminedRows);
        rejected.write(rejectedRows);
        fence.run(); // the four files are written out at the commit that follows, or not at all
    }

    private static Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("clean", "number,cancelled_on,held_since");
        headers.put("bound", "number,cancelled_on,platforms,held_since");
        headers.put("undetermined", "number,cancelled_on,platforms,reason,held_since");
        headers.put("rejected", "file,line,value,reason");
        return Collections.unmodifiableMap(headers);
    }

    private List<FlatFileItemWriter<String[]>> files() {
        return List.of(clean, bound, undetermined, rejected);
    }

    @Override
    public void open(ExecutionContext context) {
        ResultPublication.prepare(folder);
        files().forEach(file -> file.open(context));
        // on a restart the writers have cut each file back to its last commit: its checksum goes on from there
        for (PartChecksum checksum : checksums.values()) {
            checksum.restart();
        }
        ResultPublication.restrictAll(folder);
        totals.open(context);
    }

    @Override
    public void update(ExecutionContext context) {
        files().forEach(file -> file.update(context));
        checksums.forEach((name, checksum) -> context.putLong(committedChecksumKey(name), checksum.value()));
        totals.update(context);
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (FlatFileItemWriter<String[]> file : files()) {
            try {
                file.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** Adds the bytes of {@code file} to {@code checksum}. */
    static void update(Checksum checksum, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                checksum.update(buffer, 0, read);
            }
        }
    }

    /**
     * The CRC32C of a part file's lines as they are written (each line and its {@code \n}, in UTF-8, as the writer writes
     * them), committed with the file's length so the merge can tell a part file that is not what its partition wrote
     * even when it is as long (a stale one of another attempt or host). Only lines of committed chunks count: a chunk
     * that fails ends the step, and a restart reads the file as its writer cut it back.
     */
    private static final class PartChecksum implements LineAggregator<String[]> {

        private final Path file;
        private final CsvLineAggregator lines = new CsvLineAggregator();
        private final CRC32C crc = new CRC32C();

        PartChecksum(Path file) {
            this.file = file;
        }

        @Override
        public String aggregate(String[] fields) {
            String line = lines.aggregate(fields);
            crc.update(line.getBytes(StandardCharsets.UTF_8));
            crc.update('\n');
            return line;
        }

        void restart() {
            crc.reset();
            try {
                update(crc, file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " to go on with its checksum", e);
            }
        }

        long value() {
            return crc.getValue();
        }
    }
}
