package com.numberaudit.number;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SeenNumbersTest {

    private final SeenNumbers seen = new SeenNumbers();

    @Test
    void firstSightingIsTrueOnceThenFalseForEveryRepeat() {
        MobileNumber number = new MobileNumber(13832738807L);

        assertThat(seen.firstSighting(number)).isTrue();
        assertThat(seen.firstSighting(number)).isFalse();
        assertThat(seen.firstSighting(MobileNumber.ofNational("13832738807"))).isFalse();
        assertThat(seen.firstSighting(new MobileNumber(13832738808L))).isTrue();
        assertThat(seen.size()).isEqualTo(2);
    }

    @Test
    void clearForgetsEveryNumber() {
        MobileNumber number = new MobileNumber(13832738807L);
        seen.firstSighting(number);

        seen.clear();

        assertThat(seen.size()).isZero();
        assertThat(seen.firstSighting(number)).isTrue();
    }

    @Test
    void countsEachOfAMillionNumbersExactlyOnce() {
        Random random = new Random(20261128L);
        long[] digits = new long[1_000_000];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = 13_000_000_000L + random.nextInt(1_000_000_000);
        }
        long expectedDistinct = Arrays.stream(digits).distinct().count();

        int firstSightings = 0;
        for (long d : digits) {
            if (seen.firstSighting(new MobileNumber(d))) {
                firstSightings++;
            }
        }
        int repeatsSeenAsNew = 0;
        for (long d : digits) {
            if (seen.firstSighting(new MobileNumber(d))) {
                repeatsSeenAsNew++;
            }
        }

        // the seeded draw repeats some numbers on purpose, so both sides of firstSighting are exercised
        assertThat(expectedDistinct).isLessThan(digits.length);
        assertThat(firstSightings).isEqualTo(expectedDistinct);
        assertThat(seen.size()).isEqualTo(expectedDistinct);
        assertThat(repeatsSeenAsNew).isZero();
    }
}
