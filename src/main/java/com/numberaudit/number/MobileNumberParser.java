package com.numberaudit.number;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Parses what operators put in the {@code number} column ({@code +86}, {@code 0086}, {@code 86}
 * prefixes, spaces, dashes, full-width digits) with libphonenumber, region CN, and accepts only
 * valid Chinese mobile numbers.
 */
public final class MobileNumberParser {

    private static final int CHINA = 86;
    private final PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();

    public NumberCheck parse(String text) {
        if (text == null || text.isBlank()) {
            return new NumberCheck.Rejected(RejectReason.EMPTY);
        }
        // libphonenumber turns letters into keypad digits or drops them (138ABCD8807 -> 13822238807): audit only digits written
        if (text.codePoints().anyMatch(Character::isLetter)) {
            return new NumberCheck.Rejected(RejectReason.INVALID);
        }
        PhoneNumber parsed;
        try {
            parsed = phoneNumbers.parse(text.strip(), "CN");
        } catch (NumberParseException e) {
            return new NumberCheck.Rejected(RejectReason.INVALID);
        }
        if (!phoneNumbers.isValidNumber(parsed)) {
            return new NumberCheck.Rejected(RejectReason.INVALID);
        }
        if (parsed.getCountryCode() != CHINA) {
            return new NumberCheck.Rejected(RejectReason.NOT_CHINESE);
        }
        if (phoneNumbers.getNumberType(parsed) != PhoneNumberType.MOBILE) {
            return new NumberCheck.Rejected(RejectReason.NOT_MOBILE);
        }
        return new NumberCheck.Valid(new MobileNumber(parsed.getNationalNumber()));
    }
}
