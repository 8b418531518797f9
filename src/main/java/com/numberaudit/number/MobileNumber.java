package com.numberaudit.number;

import java.nio.charset.StandardCharsets;

/**
 * A valid Chinese mobile number, held as its 11-digit national significant number.
 * {@link #toString()} is masked: numbers are personal data and must not reach logs by accident.
 * <p>
 * A class rather than a record only to keep the E.164 form, which every platform asks for, once
 * per number instead of once per platform (as text, and as the ASCII bytes sent on the wire).
 */
public final class MobileNumber {

    private static final long SMALLEST = 10_000_000_000L;
    /** The largest 11-digit number. */
    static final long LARGEST = 19_999_999_999L;

    private final long digits;
    private final String e164;
    private final byte[] e164Ascii;

    public MobileNumber(long digits) {
        if (digits < SMALLEST || digits > LARGEST) {
            throw new IllegalArgumentException("not an 11-digit Chinese mobile number");
        }
        this.digits = digits;
        this.e164 = "+86" + digits;
        this.e164Ascii = e164.getBytes(StandardCharsets.US_ASCII);
    }

    public static MobileNumber ofNational(String elevenDigits) {
        return new MobileNumber(Long.parseLong(elevenDigits));
    }

    public long digits() {
        return digits;
    }

    /** The 11-digit national form used in every output file, e.g. {@code 13832738807}. */
    public String national() {
        return e164.substring(3);
    }

    /** The E.164 form the platforms expect, e.g. {@code +8613832738807}. */
    public String e164() {
        return e164;
    }

    /** {@link #e164()} as ASCII bytes, shared: callers must not change them. */
    public byte[] e164Ascii() {
        return e164Ascii;
    }

    /** The form for logs, e.g. {@code 138****8807}. */
    public String masked() {
        return e164.substring(3, 6) + "****" + e164.substring(10);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MobileNumber number && number.digits == digits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(digits);
    }

    @Override
    public String toString() {
        return masked();
    }
}
