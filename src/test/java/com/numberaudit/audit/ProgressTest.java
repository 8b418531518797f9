package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void aLineSaysRowsOfTheTotalPercentRateEtaAndTheVerdicts() {
        Progress progress = new Progress(12_000, 200_000, 1_180, 11_200, 600, 150, 50);

        assertThat(progress.line()).isEqualTo("progress: 12,000 of 200,000 rows (6.0 %), 1,180 rows/s, ETA 2 min 40 s; "
                + "clean 11,200, bound 600, undetermined 150, rejected 50");
    }

    @Test
    void beforeTheFirstAnswerTheEtaIsUnknown() {
        assertThat(new Progress(0, 2_000, 0, 0, 0, 0, 0).line())
                .isEqualTo("progress: 0 of 2,000 rows (0.0 %), 0.0 rows/s, ETA unknown (no answer yet); clean 0, bound 0, undetermined 0, rejected 0");
    }

    @Test
    void thePercentIsRoundedDownSoOneHundredMeansEveryRow() {
        assertThat(new Progress(199_999, 200_000, 500, 199_999, 0, 0, 0).line()).contains("(99.9 %)");
        assertThat(new Progress(200_000, 200_000, 500, 200_000, 0, 0, 0).line()).contains("(100.0 %)").contains("ETA 0 s");
    }

    @Test
    void rowsBeyondAnEstimatedTotalNeverShowMoreThanOneHundredPercent() {
        assertThat(new Progress(2_010, 2_000, 50, 2_010, 0, 0, 0).line()).startsWith("progress: 2,010 of 2,010 rows (100.0 %)");
    }

    @Test
    void theEtaIsTheRowsLeftAtTheRate() {
        assertThat(new Progress(1_000, 4_000, 12.5, 1_000, 0, 0, 0).eta()).isEqualTo(Duration.ofSeconds(240));
        assertThat(new Progress(1_000, 4_000, 12.5, 1_000, 0, 0, 0).line()).contains("13 rows/s, ETA 4 min 00 s");
        assertThat(new Progress(10, 250_000, 2.5, 10, 0, 0, 0).line()).contains("2.5 rows/s, ETA 27 h 46 min");
        assertThat(new Progress(10, 100, 0, 10, 0, 0, 0).eta()).isNull();
    }

    @Test
    void durationsReadAsAnOperatorSaysThem() {
        assertThat(Progress.duration(Duration.ofSeconds(42))).isEqualTo("42 s");
        assertThat(Progress.duration(Duration.ofSeconds(125))).isEqualTo("2 min 05 s");
        assertThat(Progress.duration(Duration.ofMinutes(187))).isEqualTo("3 h 07 min");
    }
}
