package com.numberaudit.number;

/**
 * A valid Chinese mobile number, held as its 11-digit national significant number.
 * {@link #toString()} is masked: numbers are personal data and must not reach logs by accident.
 */
public record MobileNumber(long digits) {

    private static final long SMALLEST = 10_000_000_000L;
    private static final long LARGEST = 19_999_999_999L;

    public MobileNumber {
        if (digits < SMALLEST || digits > LARGEST) {
            throw new IllegalArgumentException("not an 11-digit Chinese mobile number");
        }
    }

    public static MobileNumber ofNational(String elevenDigits) {
        return new MobileNumber(Long.parseLong(elevenDigits));
    }

    /** The 11-digit national form used in every output file, e.g. {@code 13832738807}. */
    public String national() {
        return Long.toString(digits);
    }

    /** The E.164 form the platforms expect, e.g. {@code +8613832738807}. */
    public String e164() {
        return "+86" + digits;
    }

    /** The form for logs, e.g. {@code 138****8807}. */
    public String masked() {
        String national = national();
        return national.substring(0, 3) + "****" + national.substring(7);
    }

    @Override
    public String toString() {
        return masked();
    }
}
