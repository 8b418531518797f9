package com.numberaudit.platform;

/**
 * One platform's answer for one number. Anything but {@link Status#NOT_BOUND} keeps a number
 * from being clean.
 *
 * @param status   what the platform said, or NO_ANSWER when it said nothing usable
 * @param accounts how many accounts are still bound (BOUND only; 0 when not given)
 * @param reason   why there is no answer (NO_ANSWER only), e.g. {@code HTTP_500}, {@code MISSING_ID}
 * @param detail   what the transport said about it, for the operator's log (e.g. why a TLS handshake failed);
 *                 never in a result file, never a secret or a number; null when the reason says it all
 */
public record BindingAnswer(Status status, int accounts, String reason, String detail) {

    public enum Status { BOUND, NOT_BOUND, NO_ANSWER }

    public static final BindingAnswer NOT_BOUND = new BindingAnswer(Status.NOT_BOUND, 0, null, null);

    public static BindingAnswer bound(int accounts) {
        return new BindingAnswer(Status.BOUND, accounts, null, null);
    }

    public static BindingAnswer noAnswer(String reason) {
        return noAnswer(reason, null);
    }

    public static BindingAnswer noAnswer(String reason, String detail) {
        return new BindingAnswer(Status.NO_ANSWER, 0, reason, detail);
    }
}
