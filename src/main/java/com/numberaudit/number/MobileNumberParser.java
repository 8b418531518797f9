package com.numberaudit.number;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Parses what operators put in the {@code number} column ({@code +86}, {@code 0086}, {@code 86}
 * prefixes, spaces, dashes, full-width digits) with libphonenumber, region CN, and accepts only
 * valid Chinese mobile numbers. A value that holds anything besides the number (an extension,
 * a letter, a stray mark) is INVALID, never read as the number libphonenumber finds in it.
 */
public final class MobileNumberParser {

    private static final int CHINA = 86;
    /** How many numbers share a 7-digit prefix (an H code: China allocates mobile numbers in such blocks). */
    static final long BLOCK = 10_000;
    private static final PhoneNumberType[] TYPES = PhoneNumberType.values();

    private final PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();
    /**
     * The type libphonenumber gives the numbers of each 7-digit prefix 1XXXXXX, plus one; 0 while not yet asked.
     * libphonenumber's metadata decides an 11-digit number starting with 1 by its first seven digits
     * ({@code MobileNumberPrefixProofTest} proves it for the metadata on the class path, so a version that stops
     * doing so fails the build), so one answer per prefix answers all of its 10,000 numbers exactly as asking each
     * would. Filled from {@link ChinaPrefixTypes} when its table was made from this metadata; otherwise each prefix is
     * asked once, when first seen (4.8–5.7 µs a number asked, 0.35–0.37 µs a number remembered: the reading thread's
     * CPU, 1,000,000 random numbers, -XX:TieredStopAtLevel=1, a busy machine). Racy by design: a byte is written
     * whole, and two threads that ask the same prefix at once write the same value.
     */
    private final byte[] typeOfPrefix;

    public MobileNumberParser() {
        this(ChinaPrefixTypes.newTable());
    }

    /** @param typeOfPrefix the known types by prefix (see the field), which this parser completes as it asks */
    MobileNumberParser(byte[] typeOfPrefix) {
        this.typeOfPrefix = typeOfPrefix;
    }

    public NumberCheck parse(String text) {
        if (text == null || text.isBlank()) {
            return new NumberCheck.Rejected(RejectReason.EMPTY);
        }
        String stripped = text.strip();
        if (isPlainNational(stripped)) {
            // The common case, 11 ASCII digits: what parse() would produce, without its normalising (6x cheaper).
            long national = Long.parseLong(stripped);
            return decide(CHINA, typeOfBlock(national), national);
        }
        // libphonenumber reads letters as keypad digits (138ABCD8807 -> 13822238807) and drops what it takes for an extension
        // or for junk (13832738807#12, *13832738807): audit only a value that is a number and nothing else
        if (!isNumberNotation(stripped)) {
            return new NumberCheck.Rejected(RejectReason.INVALID);
        }
        PhoneNumber parsed;
        try {
            parsed = phoneNumbers.parse(stripped, "CN");
        } catch (NumberParseException e) {
            return new NumberCheck.Rejected(RejectReason.INVALID);
        }
        return decide(parsed.getCountryCode(), phoneNumbers.getNumberType(parsed), parsed.getNationalNumber());
    }

    private static NumberCheck decide(int countryCode, PhoneNumberType type, long national) {
        if (type == PhoneNumberType.UNKNOWN) {
            return new NumberCheck.Rejected(RejectReason.INVALID);
        }
        if (countryCode != CHINA) {
            return new NumberCheck.Rejected(RejectReason.NOT_CHINESE);
        }
        if (type != PhoneNumberType.MOBILE) {
            return new NumberCheck.Rejected(RejectReason.NOT_MOBILE);
        }
        return new NumberCheck.Valid(new MobileNumber(national));
    }

    /** The type of a Chinese national number 1XXXXXXXXXX, asked of libphonenumber once per 7-digit prefix. */
    private PhoneNumberType typeOfBlock(long national) {
        int prefix = (int) (national / BLOCK - ChinaPrefixTypes.FIRST_PREFIX);
        int known = typeOfPrefix[prefix];
        if (known == 0) {
            PhoneNumberType type = phoneNumbers.getNumberType(new PhoneNumber().setCountryCode(CHINA).setNationalNumber(national));
            typeOfPrefix[prefix] = (byte) (type.ordinal() + 1);
            return type;
        }
        return TYPES[known - 1];
    }

    /**
     * Digits (ASCII or full-width), at most one plus sign before the first digit, and separators: whitespace, dashes, dots,
     * parentheses. Nothing else, so no letter, extension, second number or stray mark reaches libphonenumber.
     */
    private static boolean isNumberNotation(String text) {
        boolean digitSeen = false;
        boolean plusSeen = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= '0' && c <= '9') || (c >= '０' && c <= '９')) {
                digitSeen = true;
            } else if (c == '+' || c == '＋') {
                if (plusSeen || digitSeen) {
                    return false;
                }
                plusSeen = true;
            } else if (!isSeparator(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.DASH_PUNCTUATION
                || c == '.' || c == '(' || c == ')' || c == '（' || c == '）';
    }

    /** {@code 1} and ten more ASCII digits: a national mobile number written plainly. */
    private static boolean isPlainNational(String text) {
        if (text.length() != 11 || text.charAt(0) != '1') {
            return false;
        }
        for (int i = 1; i < 11; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
