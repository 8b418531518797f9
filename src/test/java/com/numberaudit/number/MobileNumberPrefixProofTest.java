package com.numberaudit.number;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.RegExp;
import dk.brics.automaton.State;

/**
 * MobileNumberParser asks libphonenumber the type of one number per 7-digit prefix and gives every other number of that
 * prefix the same answer. That is exact only if the metadata decides every 11-digit number 1XXXXXXXXXX by its first
 * seven digits. libphonenumber's type is a function of which of the region's number descriptions (general, premium
 * rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed line, mobile) the number's digits match,
 * each a regular expression over the whole national number; so this proves, for each description on the class path,
 * that its pattern accepts either all or none of the 10,000 numbers of any prefix. A libphonenumber whose metadata
 * stops doing so fails here, not in a night.
 */
class MobileNumberPrefixProofTest {

    private static final int DIGITS = 11;
    private static final int PREFIX = 7;

    @Test
    void everyNumberDescriptionOfChinaDecidesA1XXNumberByItsFirstSevenDigits() {
        PhoneMetadata china = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource().getMetadataForRegion("CN");
        Map<String, PhoneNumberDesc> descriptions = new LinkedHashMap<>();
        descriptions.put("general", china.getGeneralDesc());
        descriptions.put("premium rate", china.getPremiumRate());
        descriptions.put("toll free", china.getTollFree());
        descriptions.put("shared cost", china.getSharedCost());
        descriptions.put("voip", china.getVoip());
        descriptions.put("personal", china.getPersonalNumber());
        descriptions.put("pager", china.getPager());
        descriptions.put("uan", china.getUan());
        descriptions.put("voicemail", china.getVoicemail());
        descriptions.put("fixed line", china.getFixedLine());
        descriptions.put("mobile", china.getMobile());

        List<String> proven = new ArrayList<>();
        descriptions.forEach((name, description) -> {
            String pattern = description.getNationalNumberPattern();
            if (pattern.isEmpty()) {
                return; // no numbers of this kind in China: it matches nothing
            }
            Automaton elevenDigits = automatonOf(pattern).intersection(new RegExp("1[0-9]{10}", RegExp.NONE).toAutomaton());
            elevenDigits.determinize();
            Map<State, Integer> counted = new HashMap<>();
            for (State state : statesAfter(elevenDigits.getInitialState(), PREFIX)) {
                assertThat(completions(state, DIGITS - PREFIX, counted)).as("%s: the numbers of some prefix are split", name)
                        .isIn(0, 10_000);
            }
            proven.add(name);
        });
        assertThat(proven).as("the descriptions a mobile number is told by").contains("general", "fixed line", "mobile");
    }

    @Test
    void theRememberedTypeOfEachPrefixIsWhatLibphonenumberSaysOfEveryNumber() {
        PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();
        MobileNumberParser parser = new MobileNumberParser();
        Random random = new Random(20261129);
        // every 3-digit start 10..19, and numbers that share a prefix with one asked before
        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            long prefix = 1_000_000 + random.nextInt(1_000_000);
            numbers.add(prefix * MobileNumberParser.BLOCK + random.nextInt((int) MobileNumberParser.BLOCK));
            numbers.add(prefix * MobileNumberParser.BLOCK + random.nextInt((int) MobileNumberParser.BLOCK));
        }
        for (long national : numbers) {
            PhoneNumberUtil.PhoneNumberType expected = phoneNumbers.getNumberType(new PhoneNumber().setCountryCode(86).setNationalNumber(national));
            NumberCheck check = parser.parse(Long.toString(national));
            if (expected == PhoneNumberUtil.PhoneNumberType.MOBILE) {
                assertThat(check).as("%d", national).isEqualTo(new NumberCheck.Valid(new MobileNumber(national)));
            } else {
                assertThat(check).as("%d is %s", national, expected).isInstanceOf(NumberCheck.Rejected.class);
            }
        }
    }

    /**
     * libphonenumber's patterns use digits, classes, groups {@code (?:…)}, {@code \d}, alternation and the counts
     * {@code ? {n} {n,m}}: the same language in dk.brics's syntax. Anything else fails, rather than be read wrongly.
     */
    private static Automaton automatonOf(String pattern) {
        String plain = pattern.replace("(?:", "(").replace("\\d", "[0-9]");
        assertThat(plain).as("a pattern this proof reads: %s", pattern).matches("[0-9\\[\\]\\-(){},|?]+");
        return new RegExp(plain, RegExp.NONE).toAutomaton();
    }

    /** The states a deterministic automaton reaches after exactly {@code steps} digits. */
    private static Set<State> statesAfter(State initial, int steps) {
        Set<State> states = Set.of(initial);
        for (int i = 0; i < steps; i++) {
            Set<State> next = new HashSet<>();
            for (State state : states) {
                for (char digit = '0'; digit <= '9'; digit++) {
                    State to = state.step(digit);
                    if (to != null) {
                        next.add(to);
                    }
                }
            }
            states = next;
        }
        return states;
    }

    /** How many strings of exactly {@code length} digits take the state to acceptance. */
    private static int completions(State state, int length, Map<State, Integer> counted) {
        if (length == 0) {
            return state.isAccept() ? 1 : 0;
        }
        if (length == DIGITS - PREFIX && counted.containsKey(state)) {
            return counted.get(state);
        }
        int count = 0;
        for (char digit = '0'; digit <= '9'; digit++) {
            State to = state.step(digit);
            if (to != null) {
                count += completions(to, length - 1, counted);
            }
        }
        if (length == DIGITS - PREFIX) {
            counted.put(state, count);
        }
        return count;
    }
}
