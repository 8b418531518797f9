package com.numberaudit.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import com.opencsv.ICSVParser;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import com.numberaudit.ledger.HeldNumber;
import com.numberaudit.ledger.HeldNumbers;
import com.numberaudit.ledger.HeldSet;
import com.numberaudit.ledger.Night;
import com.numberaudit.ledger.OpenTickets;
import com.numberaudit.number.MobileNumberParser;
import com.numberaudit.number.NumberCheck;
import com.numberaudit.number.RejectReason;
import com.numberaudit.number.SeenNumbers;

/**
 * Reads the pending numbers, row by row in file order, classifies each row (rejected or
 * audited) and starts the binding checks of up to {@code inFlight} rows ahead of the writer, so
 * the platforms stay busy across chunk boundaries. After a {@link StopRequest} it reads ahead no
 * further than the chunk under way needs.
 * <p>
 * Then, with {@code audit.reaudit}, the numbers earlier nights hold (the night's {@link HeldSet},
 * in its order), except those tonight's input already had: each number is checked once a night.
 * An input row gets the {@code held_since} of its number from the same set.
 * <p>
 * Restart: the state is the count of rows handed to the writer. On restart the rows before
 * that point are read again without asking any platform, which also rebuilds the duplicate
 * check exactly as it was; the held set is the one the night took when it first started, so
 * the count lands on the same number.
 * <p>
 * A partition reads one {@link RowRange} of that sequence: it reads the rows before the range the same way, asking no
 * platform, so its duplicate check and its parser are exactly a single node's at the range's first row, and it ends
 * at the range's end. The ranges of a night's partitions, one after the other, give exactly the items of the whole.
 */
final class PendingNumberReader implements ItemStreamReader<AuditItem>, StepExecutionListener {

    private static final String EMITTED = "pending.rows";
    /** When the run's first execution began reading (epoch ms): {@code audit.deadline} counts from it, also after a restart. */
    private static final String STARTED = "pending.started";
    private static final int MAX_VALUE_LENGTH = 200;
    /** The {@code file} of a held number that is rejected (rejected.csv); its {@code line} is its place in the held set. */
    static final String LEDGER = "ledger";

    private final List<InputFile> files;
    private final MobileNumberParser parser = new MobileNumberParser();
    private final SeenNumbers seen = new SeenNumbers();
    private final BindingCheckDispatcher dispatcher;
    private final StopRequest stop;
    private final int inFlight;
    private final Function<Night, HeldNumbers> heldSet;
    private final TicketAnswers openTickets;
    private final boolean reaudit;
    private final RowRange range;
    private final ArrayDeque<AuditItem> ahead = new ArrayDeque<>();
    private ICSVParser csv = InputFile.csvParser();

    private HeldNumbers held = HeldNumbers.of(List.of());
    private int heldIndex;
    private int fileIndex;
    private PhysicalLines lines;
    private boolean headerSeen;
    private long classified;
    private long emitted;
    private long started;
    private boolean inputRead;
    /** Read by the progress log's thread. */
    private volatile long expectedRows;

    /**
     * @param heldSet     the numbers earlier nights hold, as a night took them ({@link HeldSet#load})
     * @param openTickets the tickets still open, whose answers the dispatcher collects before the first row is read
     * @param reaudit     whether to check the held numbers again after tonight's input
     */
    PendingNumberReader(List<InputFile> files, BindingCheckDispatcher dispatcher, StopRequest stop, int inFlight,
                        Function<Night, HeldNumbers> heldSet, Supplier<OpenTickets> openTickets, boolean reaudit) {
        this(files, dispatcher, stop, inFlight, heldSet, TicketAnswers.polled(openTickets), reaudit, RowRange.ALL);
    }

    /**
     * @param openTickets how the dispatcher gets tonight's open tickets and their answers before the first row is read
     * @param range       the rows of the night's sequence this reader hands to the writer ({@link RowRange#ALL}: all of them)
     */
    PendingNumberReader(List<InputFile> files, BindingCheckDispatcher dispatcher, StopRequest stop, int inFlight,
                        Function<Night, HeldNumbers> heldSet, TicketAnswers openTickets, boolean reaudit, RowRange range) {
        this.range = range;
        this.files = files;
        this.dispatcher = dispatcher;
        this.stop = stop;
        this.inFlight = inFlight;
        this.heldSet = heldSet;
        this.openTickets = openTickets;
        this.reaudit = reaudit;
        this.expectedRows = range.within(files.stream().mapToLong(InputFile::rowsAtMost).sum());
    }

    /**
     * How many rows the step hands to the writer in all, as far as known: until the input is read, its files' lines
     * (blank lines included) and every number of the held set (those tonight's input lists again included); from the
     * end of the input on, exact.
     */
    long expectedRows() {
        return expectedRows;
    }

    /**
     * Reads every row as a run would read it, and then the held numbers, asking no platform (a dry run): each row
     * classified (rejected with its reason, or a number to check), with the duplicate check across files and the held
     * set the run's own.
     */
    static void survey(List<InputFile> files, HeldNumbers held, boolean reaudit, Consumer<AuditItem> each) throws IOException {
        PendingNumberReader reader = new PendingNumberReader(files, null, null, 1, night -> held, null, reaudit, RowRange.ALL);
        reader.held = held;
        try {
            for (AuditItem item; (item = reader.nextRow(false)) != null; ) {
                each.accept(item);
            }
        } finally {
            reader.close();
        }
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        Night night = AuditRun.nightOf(stepExecution.getJobParameters());
        held = heldSet.apply(night);
        expectedRows = range.within(files.stream().mapToLong(InputFile::rowsAtMost).sum() + (reaudit ? held.size() : 0));
        try {
            openTickets.into(dispatcher, night);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while collecting the answers of open tickets", e);
        }
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        started = context.getLong(STARTED, System.currentTimeMillis());
        dispatcher.deadlineFrom(Instant.ofEpochMilli(started));
        long resumeAt = context.getLong(EMITTED, 0L);
        try {
            while (classified < resumeAt) {
                if (nextRow(false) == null) {
                    throw new ItemStreamException("the input has fewer rows (" + classified + ") than the interrupted run "
                            + "had already written (" + resumeAt + "); it must not change between a failure and its restart");
                }
            }
            // a partition's first start: the rows before its range, read as a restart reads them; a range that
            // begins past the night's last row (the estimate counts blank lines) has nothing to read
            while (classified < range.from() && nextRow(false) != null) {
                // read, asked nowhere
            }
        } catch (IOException e) {
            throw new ItemStreamException("cannot re-read the input to resume: " + e.getMessage(), e);
        }
        emitted = classified;
    }

    @Override
    public AuditItem read() throws IOException {
        // once a stop is requested, read only what the chunk under way still needs
        int readAhead = stop.requested() ? 1 : inFlight;
        while (ahead.size() < readAhead) {
            AuditItem item = classified < range.to() ? nextRow(true) : null;
            if (item == null) {
                dispatcher.flush();
                break;
            }
            ahead.add(item);
        }
        AuditItem item = ahead.poll();
        if (item != null) {
            emitted++;
        }
        return item;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(EMITTED, emitted);
        context.putLong(STARTED, started);
    }

    @Override
    public void close() {
        closeFile();
    }

    /** @return the next data row classified, or null when every file is read */
    private AuditItem nextRow(boolean startChecks) throws IOException {
        while (fileIndex < files.size()) {
            InputFile file = files.get(fileIndex);
            if (lines == null) {
                lines = new PhysicalLines(file.path());
                headerSeen = false;
            }
            PhysicalLines.Line line;
            while ((line = lines.next()) != null) {
                if (line.problem() == null && line.text().isBlank()) {
                    continue;
                }
                if (!headerSeen) {
                    headerSeen = true;
                    continue;
                }
                AuditItem item = classify(file, line, startChecks);
                classified++;
                return item;
            }
            closeFile();
            fileIndex++;
        }
        if (!inputRead) {
            inputRead = true;
            expectedRows = range.within(classified + heldNotSeen());
        }
        while (reaudit && heldIndex < held.size()) {
            AuditItem item = reaudited(held.get(heldIndex++), startChecks);
            if (item != null) {
                classified++;
                return item;
            }
        }
        return null;
    }

    /** How many numbers of the held set the re-audit still reads: those tonight's input did not have. */
    private long heldNotSeen() {
        long count = 0;
        for (int i = 0; reaudit && i < held.size(); i++) {
            if (!seen.contains(held.digits(i))) {
                count++;
            }
        }
        return count;
    }

    /** A number of the held set, or null when tonight's input already had it. */
    private AuditItem reaudited(HeldNumber number, boolean startChecks) {
        NumberCheck check = parser.parse(number.number());
        if (check instanceof NumberCheck.Rejected rejected) {
            return new AuditItem.Rejected(LEDGER, number.ordinal(), number.number(), rejected.reason());
        }
        NumberCheck.Valid valid = (NumberCheck.Valid) check;
        if (!seen.firstSighting(valid.number())) {
            return null;
        }
        return new AuditItem.Audited(valid.number(), number.cancelledOn(), startChecks ? dispatcher.start(valid.number(), classified) : null,
                number.heldSince(), true);
    }

    private AuditItem classify(InputFile file, PhysicalLines.Line line, boolean startChecks) {
        if (line.problem() != null) {
            return rejected(file, line, line.text(), line.problem());
        }
        String[] fields;
        try {
            fields = csv.parseLine(line.text());
        } catch (IOException e) {
            // opencsv would carry the open quote into the next line (a leading "" read as a quote): start afresh
            csv = InputFile.csvParser();
            return rejected(file, line, line.text(), RejectReason.UNBALANCED_QUOTE);
        }
        if (fields.length <= file.numberColumn()) {
            return rejected(file, line, line.text(), RejectReason.MISSING_FIELD);
        }
        String value = fields[file.numberColumn()];
        String cancelledOn = file.cancelledOnColumn() >= 0 && fields.length > file.cancelledOnColumn()
                ? fields[file.cancelledOnColumn()].strip() : "";
        if (!cancelledOn.isEmpty()) {
            try {
                cancelledOn = isoDate(cancelledOn);
            } catch (DateTimeException e) {
                return rejected(file, line, value, RejectReason.INVALID_CANCELLED_ON);
            }
        }
        NumberCheck check = parser.parse(value);
        if (check instanceof NumberCheck.Rejected rejected) {
            return rejected(file, line, value, rejected.reason());
        }
        NumberCheck.Valid valid = (NumberCheck.Valid) check;
        if (!seen.firstSighting(valid.number())) {
            return rejected(file, line, value, RejectReason.DUPLICATE);
        }
        return new AuditItem.Audited(valid.number(), cancelledOn,
                startChecks ? dispatcher.start(valid.number(), classified) : null, held.heldSince(valid.number().digits()), false);
    }

    /**
     * The date in ISO form ({@code 2026-08-20}). A plain {@code yyyy-MM-dd} is only checked (it is
     * already the ISO form); anything else goes through {@link LocalDate#parse}.
     *
     * @throws DateTimeException when it is not a valid ISO date
     */
    static String isoDate(String text) {
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            if (year >= 0 && month >= 0 && day >= 0) {
                LocalDate.of(year, month, day);
                return text;
            }
        }
        return LocalDate.parse(text).toString();
    }

    /** The ASCII digits of {@code text[from, to)} as a number, or -1 when any is not one. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static AuditItem rejected(InputFile file, PhysicalLines.Line line, String value, RejectReason reason) {
        String shown = value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) + "…" : value;
        return new AuditItem.Rejected(file.name(), line.number(), shown, reason);
    }

    private void closeFile() {
        if (lines != null) {
            try {
                lines.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lines = null;
        }
    }
}
