package com.numberaudit.number;

/** Why an input row is not audited; written to rejected.csv. */
public enum RejectReason {
    /** The number field is empty. */
    EMPTY,
    /** Not a phone number at all, or not a valid one. */
    INVALID,
    /** A valid number of another country. */
    NOT_CHINESE,
    /** A valid Chinese number that is not a mobile number (fixed line, toll-free, ...). */
    NOT_MOBILE,
    /** The same number appeared earlier in this run (any file, any format). */
    DUPLICATE,
    /** The line has an opening quote that is never closed. */
    UNBALANCED_QUOTE,
    /** The line is not valid UTF-8. */
    INVALID_UTF8,
    /** The line contains a NUL character. */
    NUL_BYTE,
    /** The line is longer than any real row could be. */
    LINE_TOO_LONG,
    /** The line has fewer fields than the header needs. */
    MISSING_FIELD,
    /** {@code cancelled_on} is present but not an ISO date. */
    INVALID_CANCELLED_ON
}
