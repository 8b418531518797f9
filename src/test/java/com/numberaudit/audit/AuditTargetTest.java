package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import com.numberaudit.AuditProperties;
import com.numberaudit.TestBinding;

/** The business date is decided once, in {@code audit.zone}, and every folder of the run follows from it. */
class AuditTargetTest {

    @Test
    void todayIsTakenInTheConfiguredZone() {
        // 26 hours apart: these two zones never share a date
        for (String zone : new String[] {"Etc/GMT-14", "Etc/GMT+12"}) {
            LocalDate before = LocalDate.now(ZoneId.of(zone));
            AuditTarget target = AuditTarget.of(TestBinding.bind(AuditProperties.class, "zone", zone, "output", "out"));
            LocalDate after = LocalDate.now(ZoneId.of(zone));

            assertThat(target.date()).isIn(before, after);
        }
    }

    @Test
    void anExplicitDateWinsAndNamesEveryFolder() {
        AuditTarget target = AuditTarget.of(TestBinding.bind(AuditProperties.class, "date", "2026-11-28", "zone", "Etc/GMT-14",
                "output", "out"));

        assertThat(target.date()).isEqualTo(LocalDate.of(2026, 11, 28));
        assertThat(target.results()).isEqualTo(Path.of("out").toAbsolutePath().resolve("2026-11-28"));
        assertThat(target.staging()).isEqualTo(Path.of("out").toAbsolutePath().resolve(".incomplete").resolve("2026-11-28"));
    }
}
