package com.numberaudit.number;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** Whatever an operator's file holds in the number column, the parser answers once, and audits only what was written. */
class MobileNumberParserProperties {

    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();
    private static final Set<RejectReason> PARSER_REASONS =
            Set.of(RejectReason.EMPTY, RejectReason.INVALID, RejectReason.NOT_CHINESE, RejectReason.NOT_MOBILE);

    private final MobileNumberParser parser = new MobileNumberParser();

    @Property(tries = 10_000, seed = "20261129")
    void anyTextGetsExactlyOneVerdict(@ForAll("anyText") String text) {
        NumberCheck check = parser.parse(text);

        Statistics.label("verdict").collect(verdict(check));
        assertThat(check).isNotNull();
        if (check instanceof NumberCheck.Valid valid) {
            assertThat(valid.number().national()).matches("1[0-9]{10}");
            assertThat(valid.number().e164()).isEqualTo("+86" + valid.number().national());
        } else {
            NumberCheck.Rejected rejected = (NumberCheck.Rejected) check;
            assertThat(rejected.reason()).isIn(PARSER_REASONS);
            assertThat(rejected.reason() == RejectReason.EMPTY).isEqualTo(text.isBlank());
        }
    }

    @Property(tries = 10_000, seed = "8613832738807")
    void aValidNumbersNationalAndE164FormsParseBackToIt(@ForAll("anyText") String text) {
        NumberCheck check = parser.parse(text);

        Statistics.label("verdict").collect(verdict(check));
        if (check instanceof NumberCheck.Valid valid) {
            assertThat(parser.parse(valid.number().national())).isEqualTo(valid);
            assertThat(parser.parse(valid.number().e164())).isEqualTo(valid);
        }
    }

    @Property(tries = 10_000, seed = "1380013800")
    void everyAcceptedNotationOfAMobileNumberGivesItsElevenDigits(@ForAll("notations") Notation notation) {
        assertThat(parser.parse(notation.text())).isEqualTo(new NumberCheck.Valid(MobileNumber.ofNational(notation.national())));
    }

    /**
     * A valid verdict means the value was a number and nothing else: every digit written is the number's own (behind at most
     * a country code and a trunk zero), and nothing but separators stands around them - no extension, no second number,
     * no junk libphonenumber would quietly drop.
     */
    @Property(tries = 10_000, seed = "4008123123")
    void aValidVerdictAuditsExactlyWhatWasWritten(@ForAll("anyText") String text) {
        NumberCheck check = parser.parse(text);

        Statistics.label("verdict").collect(verdict(check));
        if (check instanceof NumberCheck.Valid valid) {
            String national = valid.number().national();
            assertThat(digitsOf(text)).isIn(national, "0" + national, "86" + national, "860" + national,
                    "0086" + national, "00860" + national);
            assertThat(text.codePoints().filter(c -> !isNotation(c))).as("characters besides digits, plus and separators")
                    .isEmpty();
        }
    }

    /** Operator text: arbitrary Unicode, phone-like token soup, and accepted notations with something added. */
    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<String> unicode = Arbitraries.strings().all().ofMaxLength(30);
        Arbitrary<String> tokens = Arbitraries.of(TOKENS).list().ofMaxSize(8).map(parts -> String.join("", parts));
        Arbitrary<String> amended = Combinators.combine(notations(), Arbitraries.of(TOKENS), Arbitraries.integers().between(0, 40))
                .as((notation, token, at) -> {
                    String text = notation.text();
                    int position = Math.min(at, text.length());
                    return text.substring(0, position) + token + text.substring(position);
                });
        return Arbitraries.frequencyOf(
                Tuple.of(2, unicode),
                Tuple.of(3, tokens),
                Tuple.of(3, amended),
                Tuple.of(2, notations().map(Notation::text)));
    }

    private static final List<String> TOKENS = List.of(
            "1", "3", "8", "0", "7", "138", "3273", "8807", "13832738807", "12", "00", "86", "0086", "+86", "+", "＋",
            " ", "  ", "-", "－", "—", "\u3000", "\u00A0", "\t", "(", ")", "（", "）", ".", "/", "~", "～",
            "#", "＃", ";", ";ext=", "ext", "x", ",", ",,", "*", "!", "%", "$", "@", "e", "E10",
            "１", "３", "８", "٣", "१", "\u0000", "\uFEFF", "\u200B", "\u00AD", "tel:", "\uD83D\uDCF1", "\uD800",
            "+1 650 253 0000", "+852 5123 4567", "010-", "12345678", "400");

    /** A valid Chinese mobile number written with a prefix, separators, full-width digits and surrounding space. */
    @Provide
    Arbitrary<Notation> notations() {
        Arbitrary<String> prefixes = Arbitraries.of("", "+86", "＋86", "0086", "86", "(+86)", "（+86）", "+86 (0)", "0");
        Arbitrary<List<String>> separators = Arbitraries.of("", "", "", " ", "-", "－", "\u3000", "  ", " - ").list().ofSize(12);
        Arbitrary<Long> fullWidth = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.just(-1L), Arbitraries.longs());
        Arbitrary<String> around = Arbitraries.of("", "", " ", "\t", "\u3000", "  ");
        return Combinators.combine(chineseMobiles(), prefixes, separators, fullWidth, around, around)
                .as((national, prefix, between, wide, before, after) -> {
                    StringBuilder text = new StringBuilder(prefix).append(prefix.isEmpty() ? "" : between.get(11));
                    for (int i = 0; i < national.length(); i++) {
                        text.append(national.charAt(i)).append(i < 10 ? between.get(i) : "");
                    }
                    for (int i = 0; i < text.length(); i++) {
                        char c = text.charAt(i);
                        if (c >= '0' && c <= '9' && (wide >>> (i % 64) & 1) != 0) {
                            text.setCharAt(i, (char) ('０' + (c - '0')));
                        }
                    }
                    return new Notation(national, before + text + after);
                });
    }

    /** Eleven digits that libphonenumber itself classes as a Chinese mobile number. */
    @Provide
    Arbitrary<String> chineseMobiles() {
        return Arbitraries.longs().between(10_000_000_000L, 19_999_999_999L).map(String::valueOf).filter(national -> {
            PhoneNumber number = new PhoneNumber().setCountryCode(86).setNationalNumber(Long.parseLong(national));
            return PHONE_NUMBERS.getNumberType(number) == PhoneNumberType.MOBILE;
        });
    }

    record Notation(String national, String text) {
    }

    private static String verdict(NumberCheck check) {
        return check instanceof NumberCheck.Rejected rejected ? rejected.reason().name() : "VALID";
    }

    /** The decimal digits written, ASCII or full-width alike (other scripts' digits count too). */
    private static String digitsOf(String text) {
        StringBuilder digits = new StringBuilder();
        text.codePoints().filter(Character::isDigit).forEach(c -> digits.append(Character.digit(c, 10)));
        return digits.toString();
    }

    /** What a number may be written with: ASCII or full-width digits, plus signs, whitespace, dashes, dots, parentheses. */
    private static boolean isNotation(int c) {
        return (c >= '0' && c <= '9') || (c >= '０' && c <= '９') || c == '+' || c == '＋'
                || Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.DASH_PUNCTUATION
                || c == '.' || c == '(' || c == ')' || c == '（' || c == '）';
    }
}
