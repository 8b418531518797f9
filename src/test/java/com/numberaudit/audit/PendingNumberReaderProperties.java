package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.numberaudit.ledger.HeldNumber;
import com.numberaudit.ledger.HeldNumbers;
import com.numberaudit.ledger.OpenTickets;
import com.numberaudit.number.MobileNumber;
import com.numberaudit.number.MobileNumberParser;
import com.numberaudit.number.NumberCheck;
import com.numberaudit.number.RejectReason;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated input files, as odd as operators' files get, read by the real {@link PendingNumberReader} (open, read,
 * update, close) with a real {@link BindingCheckDispatcher} over platforms that answer NOT_BOUND at once: every
 * non-blank data line becomes exactly one item, in order, classified as a simple model of the input contract says.
 */
class PendingNumberReaderProperties {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 28);
    private static final JobExecution NIGHT = new JobExecution(1L, new JobInstance(1L, AuditJobConfiguration.JOB_NAME),
            new JobParametersBuilder().addLocalDate("date", AS_OF).toJobParameters());
    private static final int MAX_VALUE_LENGTH = 200;
    private static final int MAX_FILES = 3;
    private static final MobileNumberParser NUMBERS = new MobileNumberParser();
    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();

    /** One folder for every try, each writing its files over the last one's: a folder per try costs more than the reading. */
    private static Path folder;

    @BeforeContainer
    static void createFolder() throws IOException {
        folder = Files.createTempDirectory("pending-number-reader");
    }

    @AfterContainer
    static void deleteFolder() throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Property(tries = 1_000, seed = "20261128", edgeCases = EdgeCasesMode.NONE)
    void everyNonBlankDataLineBecomesExactlyOneItemInOrder(@ForAll("inputs") Input input,
                                                           @ForAll @IntRange(min = 1, max = 40) int inFlight) throws IOException {
        List<Expected> expected = input.expected();
        input.writeTo(folder);

        List<AuditItem> items = read(InputFile.resolve(folder), inFlight, new ExecutionContext(), Integer.MAX_VALUE);

        assertMatches(items, expected);
        assertEveryCheckIsClean(items);
        expected.forEach(line -> Statistics.label("line").collect(line.kind()));
    }

    @Property(tries = 1_000, seed = "13832738807", edgeCases = EdgeCasesMode.NONE)
    void aRestartedReaderContinuesWithExactlyTheRemainingItems(@ForAll("inputs") Input input,
                                                               @ForAll @IntRange(min = 1, max = 40) int inFlight,
                                                               @ForAll @IntRange(min = 0, max = 1_000) int cutAt) throws IOException {
        input.writeTo(folder);
        List<InputFile> files = InputFile.resolve(folder);
        List<AuditItem> whole = read(files, inFlight, new ExecutionContext(), Integer.MAX_VALUE);
        int cut = cutAt % (whole.size() + 1);

        ExecutionContext context = new ExecutionContext();
        List<AuditItem> before = read(files, inFlight, context, cut);
        List<AuditItem> after = read(files, inFlight, new ExecutionContext(context), Integer.MAX_VALUE);

        assertMatches(whole, input.expected());
        assertThat(before).hasSize(cut);
        assertThat(views(before)).isEqualTo(views(whole.subList(0, cut)));
        assertThat(views(after)).isEqualTo(views(whole.subList(cut, whole.size())));
        assertEveryCheckIsClean(after);
        Statistics.label("duplicate of a number read before the cut").collect(duplicateAcrossCut(before, after));
    }

    /**
     * The partitions of a night: consecutive row ranges, each read by a reader of its own (fresh duplicate check, fresh
     * parser), some of them cut and restarted, give exactly the items one reader gives, the held numbers after the
     * input included (a duplicate just after a boundary is still a duplicate; a held number the input listed is
     * still skipped), and a range past the last row gives nothing.
     */
    @Property(tries = 200, seed = "20261129", edgeCases = EdgeCasesMode.NONE)
    void consecutiveRangesReadOneAfterTheOtherAreTheWhole(@ForAll("inputs") Input input,
                                                          @ForAll @IntRange(min = 1, max = 40) int inFlight,
                                                          @ForAll @IntRange(min = 1, max = 5) int partitions,
                                                          @ForAll @IntRange(min = 0, max = 1_000) int cutAt,
                                                          @ForAll @IntRange(min = 0, max = 6) int extraRows) throws IOException {
        input.writeTo(folder);
        List<InputFile> files = InputFile.resolve(folder);
        HeldNumbers noneHeld = HeldNumbers.of(List.of());
        List<AuditItem> input0 = read(files, inFlight, new ExecutionContext(), Integer.MAX_VALUE, noneHeld, RowRange.ALL);
        HeldNumbers held = heldSet(input0);
        List<AuditItem> whole = read(files, inFlight, new ExecutionContext(), Integer.MAX_VALUE, held, RowRange.ALL);
        // the partitioner's estimate overcounts (blank lines, repeated held numbers): ranges may end past the last row
        long estimate = whole.size() + extraRows;

        List<AuditItem> concatenated = new ArrayList<>();
        List<AuditItem> readToTheEnd = new ArrayList<>();
        for (int k = 0; k < partitions; k++) {
            RowRange range = new RowRange(k * estimate / partitions, k == partitions - 1 ? Long.MAX_VALUE : (k + 1) * estimate / partitions);
            ExecutionContext context = new ExecutionContext();
            if (k == cutAt % partitions) {
                // this partition fails after its first items and is restarted from what it committed
                concatenated.addAll(read(files, inFlight, context, cutAt % (int) (range.within(whole.size()) + 1), held, range));
            }
            List<AuditItem> rest = read(files, inFlight, new ExecutionContext(context), Integer.MAX_VALUE, held, range);
            concatenated.addAll(rest);
            readToTheEnd.addAll(rest);
        }

        assertThat(views(concatenated)).isEqualTo(views(whole));
        assertThat(sequences(concatenated)).as("every check keeps its place in the night").isEqualTo(sequences(whole));
        assertEveryCheckIsClean(readToTheEnd);
        assertThat(read(files, inFlight, new ExecutionContext(), Integer.MAX_VALUE, held, new RowRange(estimate + 1, Long.MAX_VALUE)))
                .isEmpty();
        Statistics.label("a duplicate just after a boundary").collect(duplicateJustAfterBoundary(whole, estimate, partitions));
    }

    /** Every third number the input audited (relisted, so skipped by the re-audit), then two the input lacks. */
    private static HeldNumbers heldSet(List<AuditItem> input) {
        List<HeldNumber> held = new ArrayList<>();
        LocalDate since = AS_OF.minusDays(3);
        List<AuditItem.Audited> audited = input.stream().filter(AuditItem.Audited.class::isInstance).map(AuditItem.Audited.class::cast).toList();
        for (int i = 0; i < audited.size(); i += 3) {
            held.add(new HeldNumber(held.size() + 1, audited.get(i).number().digits() + "", since, ""));
        }
        held.add(new HeldNumber(held.size() + 1, "13900000001", since, "2026-08-20"));
        held.add(new HeldNumber(held.size() + 1, "13900000002", since, ""));
        return HeldNumbers.of(held);
    }

    private static boolean duplicateJustAfterBoundary(List<AuditItem> whole, long estimate, int partitions) {
        for (int k = 1; k < partitions; k++) {
            long from = k * estimate / partitions;
            if (from < whole.size() && whole.get((int) from) instanceof AuditItem.Rejected rejected
                    && rejected.reason() == RejectReason.DUPLICATE) {
                return true;
            }
        }
        return false;
    }

    private static List<Long> sequences(List<AuditItem> items) {
        return items.stream().filter(AuditItem.Audited.class::isInstance).map(item -> ((AuditItem.Audited) item).check().sequence()).toList();
    }

    private static List<AuditItem> read(List<InputFile> files, int inFlight, ExecutionContext context, int limit) throws IOException {
        return read(files, inFlight, context, limit, HeldNumbers.of(List.of()), RowRange.ALL);
    }

    private static List<AuditItem> read(List<InputFile> files, int inFlight, ExecutionContext context, int limit, HeldNumbers held,
                                        RowRange range) throws IOException {
        PendingNumberReader reader = new PendingNumberReader(files, new BindingCheckDispatcher(NotBoundPlatforms.REGISTRY, AS_OF),
                new StopRequest(), inFlight, night -> held, TicketAnswers.polled(OpenTickets::none), true, range);
        reader.beforeStep(new StepExecution("audit-partition", NIGHT));
        List<AuditItem> items = new ArrayList<>();
        reader.open(context);
        try {
            AuditItem item;
            while (items.size() < limit && (item = reader.read()) != null) {
                items.add(item);
            }
            reader.update(context);
        } finally {
            reader.close();
        }
        return items;
    }

    /** The items against the model, one by one; the numbers audited so far decide what a duplicate is. */
    private static void assertMatches(List<AuditItem> items, List<Expected> expected) {
        assertThat(items).as("one item per non-blank data line").hasSize(expected.size());
        Set<MobileNumber> audited = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            AuditItem item = items.get(i);
            Expected line = expected.get(i);
            String where = line.file() + " line " + line.line() + " (" + line.kind() + ")";
            if (item instanceof AuditItem.Rejected rejected) {
                assertThat(rejected.file()).as(where).isEqualTo(line.file());
                assertThat(rejected.line()).as(where).isEqualTo(line.line());
                assertThat(rejected.reason()).as(where).isNotNull();
                assertThat(rejected.value()).as(where).isNotNull();
            }
            if (line.expect() instanceof Expect.Rejected reject) {
                assertThat(item).as(where).isInstanceOfSatisfying(AuditItem.Rejected.class,
                        rejected -> assertThat(rejected.reason()).as(where).isEqualTo(reject.reason()));
            } else if (line.expect() instanceof Expect.Row row) {
                assertThat(view(item)).as(where).isEqualTo(row.classify(line, audited));
            } else if (item instanceof AuditItem.Audited auditedItem) {
                assertThat(audited.add(auditedItem.number())).as(where + ": audited once").isTrue();
            }
        }
    }

    private static void assertEveryCheckIsClean(List<AuditItem> items) {
        for (AuditItem item : items) {
            if (item instanceof AuditItem.Audited audited) {
                assertThat(audited.check().verdict()).as("the check of " + audited.number().masked())
                        .isCompletedWithValueMatching(verdict -> verdict.outcome() == BindingVerdict.Outcome.CLEAN);
            }
        }
    }

    private static boolean duplicateAcrossCut(List<AuditItem> before, List<AuditItem> after) {
        Set<MobileNumber> audited = new HashSet<>();
        before.stream().filter(AuditItem.Audited.class::isInstance).forEach(item -> audited.add(((AuditItem.Audited) item).number()));
        return after.stream().anyMatch(item -> item instanceof AuditItem.Rejected rejected && rejected.reason() == RejectReason.DUPLICATE
                && NUMBERS.parse(rejected.value()) instanceof NumberCheck.Valid valid && audited.contains(valid.number()));
    }

    /** What an item says, without its binding check (a new object in every run). */
    private static Object view(AuditItem item) {
        return item instanceof AuditItem.Audited audited ? List.of(audited.number(), audited.cancelledOn()) : item;
    }

    private static List<Object> views(List<AuditItem> items) {
        return items.stream().map(PendingNumberReaderProperties::view).toList();
    }

    // ---- the model: files as physical lines, each with what the reader must make of it

    /** The input: one to three files, read in name order. */
    record Input(List<InputLines> files) {

        void writeTo(Path folder) throws IOException {
            for (int i = 0; i < MAX_FILES; i++) {
                if (i < files.size()) {
                    Files.write(folder.resolve(fileName(i)), files.get(i).bytes());
                } else {
                    Files.deleteIfExists(folder.resolve(fileName(i)));
                }
            }
        }

        /** One entry per non-blank line after each file's header, in reading order. */
        List<Expected> expected() {
            List<Expected> expected = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                List<Line> lines = files.get(i).lines();
                boolean headerSeen = false;
                for (int number = 1; number <= lines.size(); number++) {
                    Line line = lines.get(number - 1);
                    if (line.isBlank()) {
                        continue;
                    }
                    if (headerSeen) {
                        expected.add(new Expected(fileName(i), number, line.kind(), line.expect()));
                    }
                    headerSeen = true;
                }
            }
            return expected;
        }

        private static String fileName(int index) {
            return "pending-" + index + ".csv";
        }
    }

    record Expected(String file, long line, String kind, Expect expect) {
    }

    /** One file: optional byte order mark, blank lines, a header, data lines; the last line may lack its ending. */
    record InputLines(boolean byteOrderMark, List<Line> lines, boolean lastLineEnded) {

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (byteOrderMark) {
                out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            }
            for (int i = 0; i < lines.size(); i++) {
                out.writeBytes(lines.get(i).content());
                if (i < lines.size() - 1 || lastLineEnded) {
                    out.writeBytes(lines.get(i).ending().getBytes(StandardCharsets.US_ASCII));
                }
            }
            return out.toByteArray();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(byteOrderMark ? "BOM " : "").append(lastLineEnded ? "" : "(last line not ended) ");
            lines.forEach(line -> text.append("\n    ").append(line));
            return text.toString();
        }
    }

    /** A physical line: its bytes without the ending, the ending, and what it should become. */
    record Line(String kind, byte[] content, String ending, Expect expect) {

        /** Blank as the contract means it: readable, short enough, nothing but whitespace. */
        boolean isBlank() {
            if (content.length > PhysicalLines.MAX_LINE_BYTES) {
                return false;
            }
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
                return text.indexOf('\0') < 0 && text.isBlank();
            } catch (CharacterCodingException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            String text = new String(content, StandardCharsets.UTF_8);
            String shown = text.length() > 120 ? text.substring(0, 120) + "…(" + content.length + " bytes)" : text;
            return kind + " " + escape(shown) + escape(ending);
        }

        private static String escape(String text) {
            StringBuilder escaped = new StringBuilder();
            text.chars().forEach(c -> escaped.append(c < 0x20 || c == 0xFFFD ? String.format("\\x%02X", c) : String.valueOf((char) c)));
            return escaped.toString();
        }
    }

    sealed interface Expect {

        /** A line rejected for what it is, whatever it holds. */
        record Rejected(RejectReason reason) implements Expect {
        }

        /** Header, blank lines and arbitrary bytes: any one item will do, as long as no number is audited twice. */
        record Anything() implements Expect {
        }

        /** A well-formed row: its number field and its cancelled_on field, as written. */
        record Row(String number, String cancelledOn) implements Expect {

            Object classify(Expected line, Set<MobileNumber> audited) {
                String shown = number.length() > MAX_VALUE_LENGTH ? number.substring(0, MAX_VALUE_LENGTH) + "…" : number;
                String date = cancelledOn.strip();
                if (!date.isEmpty()) {
                    try {
                        date = LocalDate.parse(date).toString();
                    } catch (DateTimeException e) {
                        return new AuditItem.Rejected(line.file(), line.line(), shown, RejectReason.INVALID_CANCELLED_ON);
                    }
                }
                NumberCheck check = NUMBERS.parse(number);
                if (check instanceof NumberCheck.Rejected rejected) {
                    return new AuditItem.Rejected(line.file(), line.line(), shown, rejected.reason());
                }
                MobileNumber valid = ((NumberCheck.Valid) check).number();
                if (!audited.add(valid)) {
                    return new AuditItem.Rejected(line.file(), line.line(), shown, RejectReason.DUPLICATE);
                }
                return List.of(valid, date);
            }
        }
    }

    /** Where the header put the columns, and the header line itself. */
    record Header(int width, int numberColumn, int cancelledOnColumn, Line line) {
    }

    // ---- generators

    @Provide
    Arbitrary<Input> inputs() {
        return chineseMobiles().list().ofMinSize(1).ofMaxSize(6)
                .flatMap(pool -> files(pool).list().ofMinSize(1).ofMaxSize(MAX_FILES).map(Input::new));
    }

    private Arbitrary<InputLines> files(List<String> pool) {
        return headers().flatMap(header -> Combinators.combine(
                Arbitraries.of(true, false),
                blankLines().list().ofMaxSize(2),
                dataLines(header, pool).list().ofMaxSize(15),
                Arbitraries.of(true, true, false)
        ).as((byteOrderMark, leading, data, lastLineEnded) -> {
            List<Line> lines = new ArrayList<>(leading);
            lines.add(header.line());
            lines.addAll(data);
            return new InputLines(byteOrderMark, lines, lastLineEnded);
        }));
    }

    /** {@code number} and maybe {@code cancelled_on} among other columns, in any order and case, maybe padded or quoted. */
    private Arbitrary<Header> headers() {
        Arbitrary<List<String>> columns = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 2))
                .flatAs((withDate, extras) -> {
                    List<String> names = new ArrayList<>(List.of("number"));
                    if (withDate) {
                        names.add("cancelled_on");
                    }
                    names.addAll(List.of("note", "source").subList(0, extras));
                    return Arbitraries.shuffle(names);
                });
        return Combinators.combine(columns, Arbitraries.longs(), endings()).as((names, style, ending) -> {
            SplittableRandom random = new SplittableRandom(style);
            List<String> rendered = new ArrayList<>();
            for (String name : names) {
                StringBuilder cased = new StringBuilder();
                name.chars().forEach(c -> cased.append(random.nextBoolean() ? Character.toUpperCase((char) c) : (char) c));
                String padded = random.nextInt(4) == 0 ? " " + cased + " " : cased.toString();
                rendered.add(random.nextInt(4) == 0 ? "\"" + padded + "\"" : padded);
            }
            byte[] content = String.join(",", rendered).getBytes(StandardCharsets.UTF_8);
            return new Header(names.size(), names.indexOf("number"), names.indexOf("cancelled_on"),
                    new Line("HEADER", content, ending, new Expect.Anything()));
        });
    }

    private Arbitrary<Line> dataLines(Header header, List<String> pool) {
        return Arbitraries.frequencyOf(
                Tuple.of(12, rows(header, pool)),
                Tuple.of(2, blankLines()),
                Tuple.of(1, missingFields(header, pool)),
                Tuple.of(1, unbalancedQuotes(header, pool)),
                Tuple.of(1, invalidUtf8(header, pool)),
                Tuple.of(1, nulBytes(header, pool)),
                Tuple.of(1, tooLong()),
                Tuple.of(1, atTheLimit(header, pool)),
                Tuple.of(2, anyBytes()),
                Tuple.of(2, anyText()));
    }

    private Arbitrary<String> endings() {
        return Arbitraries.of("\n", "\r\n");
    }

    private Arbitrary<Line> blankLines() {
        return Combinators.combine(Arbitraries.of("", "", " ", "\t", "  \t ", "\u3000"), endings())
                .as((text, ending) -> new Line("BLANK", utf8(text), ending, new Expect.Anything()));
    }

    /** A row in the header's layout, fields quoted now and then (always when they hold a comma or a quote). */
    private Arbitrary<Line> rows(Header header, List<String> pool) {
        return Combinators.combine(rowFields(header, pool), Arbitraries.integers().between(0, 3), endings())
                .as((fields, dropLast, ending) -> {
                    // a row may stop short of the columns after the number's (then cancelled_on is simply absent)
                    int keep = Math.max(fields.fields().size() - dropLast, header.numberColumn() + 1);
                    String cancelledOn = header.cancelledOnColumn() >= 0 && header.cancelledOnColumn() < keep ? fields.cancelledOn() : "";
                    Line line = new Line("ROW", utf8(fields.render(keep)), ending, new Expect.Row(fields.number(), cancelledOn));
                    return line.isBlank() ? new Line("BLANK", line.content(), ending, new Expect.Anything()) : line;
                });
    }

    /** A row one field short of the number column. */
    private Arbitrary<Line> missingFields(Header header, List<String> pool) {
        if (header.numberColumn() == 0) {
            return rows(header, pool);
        }
        return Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).list().ofMinSize(1)
                .ofMaxSize(header.numberColumn()), endings()).as((fields, ending) ->
                new Line("MISSING_FIELD", utf8(String.join(",", fields)), ending, new Expect.Rejected(RejectReason.MISSING_FIELD)));
    }

    /** A row whose last field opens a quote and never closes it. */
    private Arbitrary<Line> unbalancedQuotes(Header header, List<String> pool) {
        return Combinators.combine(rowFields(header, pool), Arbitraries.integers().between(0, 5), fieldTexts(), endings())
                .as((fields, at, rest, ending) -> {
                    int keep = Math.min(at, fields.fields().size());
                    String text = fields.render(keep) + (keep > 0 ? "," : "") + "\"" + rest.replace("\"", "");
                    return new Line("UNBALANCED_QUOTE", utf8(text), ending, new Expect.Rejected(RejectReason.UNBALANCED_QUOTE));
                });
    }

    private static final List<byte[]> INVALID_UTF8 = List.of(
            new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xE2, (byte) 0x82},
            new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xF0, (byte) 0x9F});

    /** A row with a byte sequence that is not UTF-8 between two of its characters. */
    private Arbitrary<Line> invalidUtf8(Header header, List<String> pool) {
        return Combinators.combine(rowFields(header, pool), Arbitraries.of(INVALID_UTF8), Arbitraries.integers().between(0, 100), endings())
                .as((fields, invalid, at, ending) -> new Line("INVALID_UTF8",
                        insert(fields.render(fields.fields().size()), at, invalid), ending, new Expect.Rejected(RejectReason.INVALID_UTF8)));
    }

    private Arbitrary<Line> nulBytes(Header header, List<String> pool) {
        return Combinators.combine(rowFields(header, pool), Arbitraries.integers().between(0, 100), endings())
                .as((fields, at, ending) -> new Line("NUL_BYTE", insert(fields.render(fields.fields().size()), at, new byte[] {0}),
                        ending, new Expect.Rejected(RejectReason.NUL_BYTE)));
    }

    /** Longer than the limit, of any bytes but a line feed; now and then past the reader's 64 KiB chunk. */
    private Arbitrary<Line> tooLong() {
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(PhysicalLines.MAX_LINE_BYTES + 1, PhysicalLines.MAX_LINE_BYTES + 8)),
                Tuple.of(3, Arbitraries.integers().between(PhysicalLines.MAX_LINE_BYTES + 1, 20_000)),
                Tuple.of(1, Arbitraries.integers().between(60_000, 140_000)));
        return Combinators.combine(lengths, Arbitraries.longs(), endings()).as((length, seed, ending) -> {
            byte[] content = randomBytes(new SplittableRandom(seed), length);
            content[0] = 'x';
            content[length - 1] = 'x'; // a last '\r' would be taken for half a CRLF, one byte short
            return new Line("LINE_TOO_LONG", content, ending, new Expect.Rejected(RejectReason.LINE_TOO_LONG));
        });
    }

    /** A row padded by a trailing field to just under, at, or just over the limit. */
    private Arbitrary<Line> atTheLimit(Header header, List<String> pool) {
        return Combinators.combine(rowFields(header, pool), Arbitraries.integers().between(-1, 1), endings())
                .as((fields, offset, ending) -> {
                    String row = fields.render(fields.fields().size()) + ",";
                    int length = PhysicalLines.MAX_LINE_BYTES + offset;
                    int padding = length - utf8(row).length;
                    byte[] content = utf8(row + "x".repeat(Math.max(padding, 1)));
                    if (content.length > PhysicalLines.MAX_LINE_BYTES) {
                        return new Line("OVER_THE_LIMIT", content, ending, new Expect.Rejected(RejectReason.LINE_TOO_LONG));
                    }
                    return new Line("AT_THE_LIMIT", content, ending, new Expect.Row(fields.number(), fields.cancelledOn()));
                });
    }

    private Arbitrary<Line> anyBytes() {
        return Combinators.combine(Arbitraries.bytes().filter(b -> b != '\n').list().ofMaxSize(60), endings()).as((bytes, ending) -> {
            byte[] content = new byte[bytes.size()];
            for (int i = 0; i < content.length; i++) {
                content[i] = bytes.get(i);
            }
            return new Line("ANY_BYTES", content, ending, new Expect.Anything());
        });
    }

    private Arbitrary<Line> anyText() {
        return Combinators.combine(Arbitraries.strings().all().ofMaxLength(60), endings())
                .as((text, ending) -> new Line("ANY_TEXT", utf8(text.replace('\n', ' ')), ending, new Expect.Anything()));
    }

    /** The fields of a row in the header's layout: a number, a date, notes. */
    private Arbitrary<RowFields> rowFields(Header header, List<String> pool) {
        return Combinators.combine(numberTexts(pool), dates(), fieldTexts().list().ofSize(header.width()), Arbitraries.longs())
                .as((number, date, others, style) -> {
                    List<String> fields = new ArrayList<>(others);
                    fields.set(header.numberColumn(), number);
                    if (header.cancelledOnColumn() >= 0) {
                        fields.set(header.cancelledOnColumn(), date);
                    }
                    return new RowFields(fields, number, header.cancelledOnColumn() >= 0 ? date : "", style);
                });
    }

    record RowFields(List<String> fields, String number, String cancelledOn, long style) {

        /** The first {@code count} fields as CSV: quoted when they must be, and now and then when they need not. */
        String render(int count) {
            SplittableRandom random = new SplittableRandom(style);
            List<String> rendered = new ArrayList<>();
            for (String field : fields.subList(0, count)) {
                boolean mustQuote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0;
                rendered.add(mustQuote || random.nextInt(5) == 0 ? "\"" + field.replace("\"", "\"\"") + "\"" : field);
            }
            return String.join(",", rendered);
        }
    }

    /** What operators write in the number column: pooled numbers in many notations (so repeats), and what is not a number. */
    private Arbitrary<String> numberTexts(List<String> pool) {
        Arbitrary<String> pooled = Combinators.combine(Arbitraries.of(pool),
                Arbitraries.of("", "", "+86", "0086", "86", "+86 ", "(+86) "),
                Arbitraries.of("", "", " ", "-"),
                Arbitraries.of(false, false, true),
                Arbitraries.of("", "", " ")
        ).as((national, prefix, separator, fullWidth, around) -> {
            String text = prefix + national.substring(0, 3) + separator + national.substring(3, 7) + separator + national.substring(7);
            if (fullWidth) {
                StringBuilder wide = new StringBuilder();
                text.chars().forEach(c -> wide.append(c >= '0' && c <= '9' ? (char) ('０' + c - '0') : (char) c));
                text = wide.toString();
            }
            return around + text + around;
        });
        Arbitrary<String> notNumbers = Arbitraries.of("", " ", "12345", "abc", "010-12345678", "+1 650 253 0000", "13832738807#12",
                "13832738807;ext=1", "1383273880", "\"13832738807\"", "13832738807,12", "x".repeat(250));
        return Arbitraries.frequencyOf(Tuple.of(6, pooled), Tuple.of(2, notNumbers), Tuple.of(1, fieldTexts()));
    }

    private Arbitrary<String> dates() {
        Arbitrary<String> valid = Arbitraries.integers().between(0, 3_650).map(day -> LocalDate.of(2020, 1, 1).plusDays(day).toString());
        Arbitrary<String> odd = Arbitraries.of("", "", " 2026-08-20 ", "+12026-08-20", "2026-02-30", "2026-8-20", "20260820",
                "2026/08/20", "not-a-date", "２０２６-０８-２０", "2026-13-01");
        return Arbitraries.frequencyOf(Tuple.of(3, valid), Tuple.of(2, odd));
    }

    /** Free text for a field: any characters but line breaks and NUL (those make other kinds of line). */
    private Arbitrary<String> fieldTexts() {
        return Arbitraries.strings().all().ofMaxLength(12).map(text -> {
            StringBuilder clean = new StringBuilder();
            text.codePoints().forEach(c -> clean.appendCodePoint(c == '\n' || c == '\r' || c == 0 || Character.isSurrogate((char) c) ? 'x' : c));
            return clean.toString();
        });
    }

    /** Eleven digits that libphonenumber classes as a Chinese mobile number. */
    private Arbitrary<String> chineseMobiles() {
        return Arbitraries.longs().between(10_000_000_000L, 19_999_999_999L).map(String::valueOf).filter(national -> {
            PhoneNumber number = new PhoneNumber().setCountryCode(86).setNationalNumber(Long.parseLong(national));
            return PHONE_NUMBERS.getNumberType(number) == PhoneNumberType.MOBILE;
        });
    }

    /** {@code bytes} inserted into {@code text} between two characters, at or before character {@code at}. */
    private static byte[] insert(String text, int at, byte[] bytes) {
        int offset = text.offsetByCodePoints(0, Math.min(at, text.codePointCount(0, text.length())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(text.substring(0, offset)));
        out.writeBytes(bytes);
        out.writeBytes(utf8(text.substring(offset)));
        return out.toByteArray();
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            byte b = (byte) random.nextInt(256);
            bytes[i] = b == '\n' ? (byte) ' ' : b;
        }
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
