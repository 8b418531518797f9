package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import com.numberaudit.report.AuditTotals;

/** The lines the progress log writes at its ticks (one a second), driven by a clock of the test's own. */
class ProgressLogTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final AuditTotals totals = new AuditTotals(List.of(), null);
    private final AtomicLong expected = new AtomicLong(1_000);
    private final ProgressLog log = new ProgressLog(Duration.ofSeconds(10), totals, expected::get);

    @Test
    void aFirstLineAfterASecondAnotherOnceTheEtaIsKnownThenOneEveryInterval() {
        log.start(0, 0);

        Optional<String> first = log.tick(SECOND);
        clean(20);
        Optional<String> withEta = log.tick(2 * SECOND);
        clean(20);
        Optional<String> quiet = log.tick(3 * SECOND);
        for (int second = 4; second < 12; second++) {
            clean(20);
            assertThat(log.tick(second * SECOND)).as("second %d", second).isEmpty();
        }
        clean(20);
        Optional<String> afterTheInterval = log.tick(12 * SECOND);

        assertThat(first).hasValueSatisfying(line -> assertThat(line).startsWith("progress: 0 of 1,000 rows (0.0 %)").contains("ETA unknown"));
        assertThat(withEta).hasValueSatisfying(line -> assertThat(line).startsWith("progress: 20 of 1,000 rows (2.0 %), 20 rows/s, ETA 49 s"));
        assertThat(quiet).isEmpty();
        assertThat(afterTheInterval).hasValueSatisfying(line -> assertThat(line).startsWith("progress: 220 of 1,000 rows (22.0 %), 20 rows/s, ETA 39 s"));
    }

    @Test
    void theRateIsThatOfTheLastMinute() {
        log.start(0, 0);
        expected.set(100_000);
        for (int second = 1; second <= 120; second++) {
            clean(second <= 60 ? 100 : 10);
            log.tick(second * SECOND);
        }
        clean(10);

        assertThat(log.tick(121 * SECOND)).hasValueSatisfying(line -> assertThat(line).contains("10 rows/s"));
    }

    @Test
    void aResumedRunStartsFromTheRowsCommittedAndMeasuresOnlyItsOwn() {
        ExecutionContext committed = new ExecutionContext();
        AuditTotals interrupted = new AuditTotals(List.of(), null);
        for (int i = 0; i < 800; i++) {
            interrupted.countClean();
        }
        interrupted.update(committed);
        log.start(0, AuditTotals.from(committed, List.of()).rows());

        Optional<String> beforeTheTotalsAreRestored = log.tick(SECOND);
        totals.open(committed);
        clean(10);
        Optional<String> resumed = log.tick(2 * SECOND);

        assertThat(beforeTheTotalsAreRestored).hasValueSatisfying(line -> assertThat(line).startsWith("progress: 800 of 1,000 rows (80.0 %), 0.0 rows/s"));
        assertThat(resumed).hasValueSatisfying(line -> assertThat(line).startsWith("progress: 810 of 1,000 rows (81.0 %), 10 rows/s, ETA 19 s")
                .endsWith("clean 810, bound 0, undetermined 0, rejected 0"));
    }

    private void clean(int rows) {
        for (int i = 0; i < rows; i++) {
            totals.countClean();
        }
    }
}
