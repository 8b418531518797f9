package com.numberaudit.number;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MobileNumberParserTest {

    private static final MobileNumber EXPECTED = new MobileNumber(13832738807L);

    private final MobileNumberParser parser = new MobileNumberParser();

    @ParameterizedTest
    @ValueSource(strings = {
            "13832738807",
            "+86 138 3273 8807",
            "0086-138-3273-8807",
            "8613832738807",
            "+86-138-3273-8807",
            "１３８３２７３８８０７",
            "  13832738807  "
    })
    void acceptsEveryOperatorSpellingOfTheSameMobileNumber(String text) {
        assertThat(parser.parse(text)).isEqualTo(new NumberCheck.Valid(EXPECTED));
    }

    @Test
    void validNumberIsMaskedInLogsAndE164ForPlatforms() {
        MobileNumber number = ((NumberCheck.Valid) parser.parse("+86 138 3273 8807")).number();

        assertThat(number.national()).isEqualTo("13832738807");
        assertThat(number.masked()).isEqualTo("138****8807");
        assertThat(number.toString()).isEqualTo("138****8807").doesNotContain("3273");
        assertThat(number.e164()).isEqualTo("+8613832738807");
    }

    @ParameterizedTest
    @ValueSource(strings = {"010-12345678", "01012345678", "+86 10 1234 5678"})
    void rejectsChineseFixedLineAsNotMobile(String text) {
        assertThat(parser.parse(text)).isEqualTo(new NumberCheck.Rejected(RejectReason.NOT_MOBILE));
    }

    @Test
    void rejectsValidForeignNumberAsNotChinese() {
        assertThat(parser.parse("+1 650 253 0000")).isEqualTo(new NumberCheck.Rejected(RejectReason.NOT_CHINESE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345", "abc", "1383273880", "138327388071"})
    void rejectsWhatIsNotAValidNumberAsInvalid(String text) {
        assertThat(parser.parse(text)).isEqualTo(new NumberCheck.Rejected(RejectReason.INVALID));
    }

    // libphonenumber would read these as keypad digits or drop the letters, auditing a number nobody wrote (138ABCD8807 as 13822238807)
    @ParameterizedTest
    @ValueSource(strings = {"138ABCD8807", "1383273880A7", "abc13832738807", "13832738807 ext 5", "tel:+8613832738807"})
    void rejectsTextWithLettersInsteadOfGuessingItsDigits(String text) {
        assertThat(parser.parse(text)).isEqualTo(new NumberCheck.Rejected(RejectReason.INVALID));
    }

    // libphonenumber reads these as a number plus an extension, or drops what stands around it: the row would be audited as
    // 13832738807 although its value is something else
    @ParameterizedTest
    @ValueSource(strings = {"13832738807#12", "13832738807;12", "13832738807,12", "+86 138 3273 8807 #12", "138 3273 8807 12#",
            "*13832738807", "#13832738807", "/13832738807", "13832738807!", "138*3273*8807", "138/3273/8807", "13832738807～",
            "++8613832738807", "13832738807\u0000"})
    void rejectsAValueThatHoldsMoreThanANumber(String text) {
        assertThat(parser.parse(text)).isEqualTo(new NumberCheck.Rejected(RejectReason.INVALID));
    }

    // the input contract names ASCII and full-width digits; libphonenumber would also read Arabic-Indic or Devanagari ones
    @ParameterizedTest
    @ValueSource(strings = {"١٣٨٣٢٧٣٨٨٠٧", "1383273880٧", "१३८३२७३८८०७"})
    void rejectsDigitsOfOtherScripts(String text) {
        assertThat(parser.parse(text)).isEqualTo(new NumberCheck.Rejected(RejectReason.INVALID));
    }

    @ParameterizedTest
    @ValueSource(strings = {"(+86) 138 3273 8807", "（+86）138-3273-8807", "+86 (0) 138 3273 8807", "＋86　１３８　３２７３　８８０７",
            "138.3273.8807", "138\u00A03273\u00A08807", "86 138—3273—8807"})
    void acceptsParenthesesDotsAndEveryKindOfSpaceAndDashAsSeparators(String text) {
        assertThat(parser.parse(text)).isEqualTo(new NumberCheck.Valid(EXPECTED));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t", "\u3000"})
    void rejectsBlankAsEmpty(String text) {
        assertThat(parser.parse(text)).isEqualTo(new NumberCheck.Rejected(RejectReason.EMPTY));
    }

    @Test
    void plainElevenDigitsGetTheSameVerdictAsLibphonenumbersFullParse() {
        // The fast path for plain national numbers must agree with the full parse that "+86 ..." goes through.
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            String national = "1" + String.format("%010d", random.nextLong(10_000_000_000L));
            assertThat(parser.parse(national)).as(national).isEqualTo(parser.parse("+86 " + national));
        }
    }
}
