package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The cancelled_on check: the same verdict and the same text as {@link LocalDate#parse}. */
class IsoDateTest {

    @Test
    void agreesWithLocalDateParseOnSeededDateLikeText() {
        Random random = new Random(20261128);
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = "%04d-%02d-%02d".formatted(random.nextInt(10_000), random.nextInt(14), random.nextInt(33));
            if (random.nextInt(20) == 0) {  // now and then a character that is not a digit
                char[] chars = text.toCharArray();
                chars[random.nextInt(chars.length)] = "x+ /:".charAt(random.nextInt(5));
                text = new String(chars);
            }
            String expected = reference(text);
            if (expected == null) {
                String rejected = text;
                assertThatThrownBy(() -> PendingNumberReader.isoDate(rejected)).as(text).isInstanceOf(DateTimeException.class);
            } else {
                assertThat(PendingNumberReader.isoDate(text)).as(text).isEqualTo(expected);
                valid++;
            }
        }
        assertThat(valid).as("a fair share of the samples are real dates").isGreaterThan(100_000);
    }

    @Test
    void otherIsoFormsStillGoThroughLocalDate() {
        assertThat(PendingNumberReader.isoDate("+12026-08-20")).isEqualTo("+12026-08-20");
        assertThat(PendingNumberReader.isoDate("2024-02-29")).isEqualTo("2024-02-29");
        assertThatThrownBy(() -> PendingNumberReader.isoDate("2026-02-29")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> PendingNumberReader.isoDate("2026-8-20")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> PendingNumberReader.isoDate("20260820")).isInstanceOf(DateTimeException.class);
    }

    private static String reference(String text) {
        try {
            return LocalDate.parse(text).toString();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
