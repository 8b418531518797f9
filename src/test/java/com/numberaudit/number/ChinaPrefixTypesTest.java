package com.numberaudit.number;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import com.numberaudit.Sha256;

class ChinaPrefixTypesTest {

    private final PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();

    @Test
    void theShippedTableIsWhatLibphonenumberOnTheClassPathSaysOfEveryPrefix() throws IOException {
        List<String> asked = new ArrayList<>();
        PhoneNumberType previous = null;
        for (int prefix = ChinaPrefixTypes.FIRST_PREFIX; prefix < ChinaPrefixTypes.FIRST_PREFIX + ChinaPrefixTypes.PREFIXES; prefix++) {
            PhoneNumberType type = phoneNumbers.getNumberType(new PhoneNumber().setCountryCode(86).setNationalNumber(prefix * MobileNumberParser.BLOCK));
            if (type != previous) {
                asked.add(prefix + " " + type);
                previous = type;
            }
        }
        String shipped = new String(resource().readAllBytes(), StandardCharsets.US_ASCII);
        List<String> runs = shipped.lines().filter(line -> Character.isDigit(line.charAt(0))).toList();
        assertThat(String.join("\n", runs)).as("%s, made from another libphonenumber: put these runs there", ChinaPrefixTypes.RESOURCE)
                .isEqualTo(String.join("\n", asked));
        assertThat(shipped).as("%s's metadata line", ChinaPrefixTypes.RESOURCE)
                .contains("metadata-sha256 " + Sha256.hexOf(metadata()));
        assertThat(ChinaPrefixTypes.newTable()).as("the table the parser starts from").doesNotContain((byte) 0);
    }

    @Test
    void aTableMadeFromOtherMetadataIsNotUsedAndTheParserAsksLibphonenumberInstead() throws IOException {
        byte[] otherMetadata = metadata();
        otherMetadata[otherMetadata.length / 2] ^= 1;
        assertThat(ChinaPrefixTypes.read(resource(), otherMetadata)).isNull();
        assertThat(ChinaPrefixTypes.read(resource(), metadata())).isEqualTo(ChinaPrefixTypes.newTable());

        MobileNumberParser shipped = new MobileNumberParser();
        MobileNumberParser asking = new MobileNumberParser(new byte[ChinaPrefixTypes.PREFIXES]);
        Random random = new Random(20261130);
        for (int i = 0; i < 20_000; i++) {
            String number = Long.toString((ChinaPrefixTypes.FIRST_PREFIX + random.nextInt(ChinaPrefixTypes.PREFIXES)) * MobileNumberParser.BLOCK
                    + random.nextInt((int) MobileNumberParser.BLOCK));
            assertThat(asking.parse(number)).as(number).isEqualTo(shipped.parse(number));
        }
    }

    @Test
    void runsOutOfOrderAreRefused() {
        String table = "metadata-sha256 x\n1000000 UNKNOWN\n1300000 MOBILE\n1200000 UNKNOWN\n";
        assertThatThrownBy(() -> ChinaPrefixTypes.read(
                        new ByteArrayInputStream(table.getBytes(StandardCharsets.US_ASCII)), metadata()))
                .hasMessageContaining("runs out of order at '1200000 UNKNOWN'");
    }

    private static InputStream resource() {
        return ChinaPrefixTypes.class.getResourceAsStream(ChinaPrefixTypes.RESOURCE);
    }

    private static byte[] metadata() throws IOException {
        try (InputStream in = PhoneNumberUtil.class.getResourceAsStream(ChinaPrefixTypes.METADATA)) {
            return in.readAllBytes();
        }
    }
}
