package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.test.MetaDataInstanceFactory;

import com.numberaudit.ledger.HeldNumber;
import com.numberaudit.ledger.HeldNumbers;
import com.numberaudit.ledger.OpenTickets;
import com.numberaudit.number.MobileNumber;
import com.numberaudit.number.RejectReason;

class PendingNumberReaderTest {

    @TempDir
    Path dir;

    @Test
    void aRowAfterAnUnbalancedQuoteIsReadAsIfItCameFirst() throws IOException {
        Path file = Files.writeString(dir.resolve("pending.csv"), "cancelled_on,number\n\"2026-08-20,13800000000\n\"\",13832738807\n");

        List<AuditItem> items = readAll(file);

        assertThat(items).hasSize(2);
        assertThat(items.get(0)).isEqualTo(new AuditItem.Rejected("pending.csv", 2, "\"2026-08-20,13800000000", RejectReason.UNBALANCED_QUOTE));
        assertThat(items.get(1)).isInstanceOfSatisfying(AuditItem.Audited.class, audited -> {
            assertThat(audited.number()).isEqualTo(new MobileNumber(13832738807L));
            assertThat(audited.cancelledOn()).isEmpty();
        });
    }

    @Test
    void theNumbersHeldByEarlierNightsFollowTheInputEachOnceAndAnInputRowKnowsItsHold() throws IOException {
        Path file = Files.writeString(dir.resolve("pending.csv"), "number\n13832738807\n13700001234\n");

        List<AuditItem> items = readAll(file, HELD, true, Integer.MAX_VALUE, new ExecutionContext());

        assertThat(items).extracting(PendingNumberReaderTest::describe).containsExactly(
                "input 13832738807 held since 2026-11-27",
                "input 13700001234",
                "ledger 15011112222 held since 2026-11-20",
                "rejected ledger:4 12345678901 INVALID",
                "ledger 18600001111 held since 2026-11-27");
    }

    @Test
    void withoutReauditOnlyTheInputIsReadAndStillKnowsItsHold() throws IOException {
        Path file = Files.writeString(dir.resolve("pending.csv"), "number\n13832738807\n13700001234\n");

        List<AuditItem> items = readAll(file, HELD, false, Integer.MAX_VALUE, new ExecutionContext());

        assertThat(items).extracting(PendingNumberReaderTest::describe)
                .containsExactly("input 13832738807 held since 2026-11-27", "input 13700001234");
    }

    @Test
    void aRestartInsideTheHeldNumbersContinuesWithTheNextOne() throws IOException {
        Path file = Files.writeString(dir.resolve("pending.csv"), "number\n13832738807\n13700001234\n");
        ExecutionContext context = new ExecutionContext();

        List<AuditItem> before = readAll(file, HELD, true, 3, context);
        List<AuditItem> after = readAll(file, HELD, true, Integer.MAX_VALUE, context);

        assertThat(before).extracting(PendingNumberReaderTest::describe).endsWith("ledger 15011112222 held since 2026-11-20");
        assertThat(after).extracting(PendingNumberReaderTest::describe)
                .containsExactly("rejected ledger:4 12345678901 INVALID", "ledger 18600001111 held since 2026-11-27");
    }

    @Test
    void theTotalForProgressCountsEveryLineAndHeldNumberUntilTheInputIsReadThenTheRowsExactly() throws IOException {
        Path file = Files.writeString(dir.resolve("pending.csv"), "number\n13832738807\n\n13700001234\n");
        PendingNumberReader reader = reader(file, HELD, true);

        long before = reader.expectedRows();
        List<AuditItem> items = new ArrayList<>();
        reader.open(new ExecutionContext());
        for (AuditItem item; (item = reader.read()) != null; ) {
            items.add(item);
        }
        reader.close();

        assertThat(before).as("3 lines after the header (one blank), 4 held numbers (one also in the input)").isEqualTo(7);
        assertThat(reader.expectedRows()).isEqualTo(items.size()).isEqualTo(5);
    }

    @Test
    void aDryRunSurveysTheRowsAsTheRunReadsThemAskingNoPlatform() throws IOException {
        Path file = Files.writeString(dir.resolve("pending.csv"), "number\n13832738807\n13700001234\n13700001234\n");
        List<AuditItem> surveyed = new ArrayList<>();

        PendingNumberReader.survey(InputFile.resolve(file), HELD, true, surveyed::add);

        assertThat(surveyed).extracting(PendingNumberReaderTest::describe)
                .isEqualTo(readAll(file, HELD, true, Integer.MAX_VALUE, new ExecutionContext()).stream().map(PendingNumberReaderTest::describe).toList())
                .contains("rejected pending.csv:4 13700001234 DUPLICATE");
        assertThat(surveyed).allSatisfy(item -> {
            if (item instanceof AuditItem.Audited audited) {
                assertThat(audited.check()).as("no platform check started").isNull();
            }
        });
    }

    /** Held by earlier nights: one of them is also in the input, one is stored in a form that is no longer a mobile number. */
    private static final HeldNumbers HELD = HeldNumbers.of(List.of(
            new HeldNumber(1, "13832738807", LocalDate.of(2026, 11, 27), "2026-08-20"),
            new HeldNumber(2, "15011112222", LocalDate.of(2026, 11, 20), "2026-08-21"),
            new HeldNumber(4, "12345678901", LocalDate.of(2026, 11, 20), ""),
            new HeldNumber(5, "18600001111", LocalDate.of(2026, 11, 27), "")));

    private static String describe(AuditItem item) {
        if (item instanceof AuditItem.Rejected rejected) {
            return "rejected " + rejected.file() + ":" + rejected.line() + " " + rejected.value() + " " + rejected.reason();
        }
        AuditItem.Audited audited = (AuditItem.Audited) item;
        return (audited.reaudited() ? "ledger " : "input ") + audited.number().national()
                + (audited.heldSince() == null ? "" : " held since " + audited.heldSince());
    }

    private static List<AuditItem> readAll(Path file) throws IOException {
        return readAll(file, HeldNumbers.of(List.of()), true, Integer.MAX_VALUE, new ExecutionContext());
    }

    /** Reads up to {@code limit} items as a step would (its night's held set, then open at {@code context}), and saves its position there. */
    private static List<AuditItem> readAll(Path file, HeldNumbers held, boolean reaudit, int limit, ExecutionContext context)
            throws IOException {
        PendingNumberReader reader = reader(file, held, reaudit);
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

    /** A reader of the file as a step starts it, before it is opened. */
    private static PendingNumberReader reader(Path file, HeldNumbers held, boolean reaudit) {
        PendingNumberReader reader = new PendingNumberReader(InputFile.resolve(file),
                new BindingCheckDispatcher(NotBoundPlatforms.REGISTRY, LocalDate.of(2026, 11, 28)), new StopRequest(), 10,
                night -> held, OpenTickets::none, reaudit);
        reader.beforeStep(MetaDataInstanceFactory.createStepExecution(
                new JobParametersBuilder().addLocalDate("date", LocalDate.of(2026, 11, 28)).toJobParameters()));
        return reader;
    }
}
