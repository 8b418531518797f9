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
import org.springframework.batch.infrastructure.item.ExecutionContext;

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

    private static List<AuditItem> readAll(Path file) throws IOException {
        PendingNumberReader reader = new PendingNumberReader(InputFile.resolve(file),
                new BindingCheckDispatcher(NotBoundPlatforms.REGISTRY, LocalDate.of(2026, 11, 28)), new StopRequest(), 10);
        List<AuditItem> items = new ArrayList<>();
        reader.open(new ExecutionContext());
        try {
            AuditItem item;
            while ((item = reader.read()) != null) {
                items.add(item);
            }
        } finally {
            reader.close();
        }
        return items;
    }
}
