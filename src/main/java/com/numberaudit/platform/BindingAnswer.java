package com.numberaudit.platform;

/**
 * One platform's answer for one number. Anything but {@link Status#NOT_BOUND} keeps a number
 * from being clean.
 *
 * @param status     what the platform said, or NO_ANSWER when it said nothing usable
 * @param accounts   how many accounts are still bound (BOUND only; 0 when not given)
 * @param reason     why there is no answer (NO_ANSWER only), e.g. {@code HTTP_500}, {@code MISSING_ID}
 * @param detail     what the transport said about it, for the operator's log (e.g. why a TLS handshake failed);
 *                   never in a result file or the ledger, never a secret or a number; null when the reason says it all
 * @param correlator the {@code x-correlator} of the request this came from (the ledger's proof of what was asked);
 *                   null when nothing was sent (an open circuit, a platform down, an adapter without requests)
 * @param ticket     the platform's ticket (202) this answer is about: the one it will come under ({@code PENDING}),
 *                   came under (an answer collected later), or never came under ({@code EXPIRED}); null for the rest
 */
public record BindingAnswer(Status status, int accounts, String reason, String detail, String correlator, String ticket) {

    public enum Status { BOUND, NOT_BOUND, NO_ANSWER }

    /** The reason of an answer still to come under a ticket. */
    public static final String PENDING = "PENDING";
    /** The reason of an answer that never came under its ticket within the platform's {@code answer-within}. */
    public static final String EXPIRED = "EXPIRED";
    /** The reason of a platform whose answer never came (a slot left empty). */
    public static final String NOT_ASKED = "NOT_ASKED";
    /** What a poll of a ticket the platform does not know (any more) brings: the numbers are to be asked afresh. */
    public static final String TICKET_UNKNOWN = "TICKET_UNKNOWN";
    /** The reason of every number of a platform whose circuit breaker is open. */
    public static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";
    /**
     * The reason of the numbers of a request that was not sent because no slot of the platform's shared rate limit could
     * be reserved (the job repository could not be reached): not the platform's failure, so its circuit breaker does not
     * hear of it.
     */
    public static final String RATE_SLOT = "RATE_SLOT";
    /** The beginning of the reason of every number of a platform that refused the credentials ({@code PLATFORM_DOWN:HTTP_401}). */
    public static final String PLATFORM_DOWN = "PLATFORM_DOWN:";

    /**
     * Whether a reason says that the platform as a whole failed, rather than one of its answers: the credentials refused,
     * the circuit open, no TLS handshake, a snapshot export missing or not to be trusted. A night with such a reason
     * completes, but needs a look (exit 3); the isolated ones ({@code HTTP_500} on a batch, {@code TIMEOUT},
     * {@code MISSING_ID}, {@code PENDING}, ...) are the platforms' ordinary bad moments.
     */
    /** Whether the reason is a wait for an answer that comes later, under a ticket (not a failure of the platform). */
    public static boolean waiting(String reason) {
        return PENDING.equals(reason) || EXPIRED.equals(reason) || TICKET_UNKNOWN.equals(reason);
    }

    public static boolean platformWide(String reason) {
        return reason != null && (reason.startsWith(PLATFORM_DOWN) || reason.equals(CIRCUIT_OPEN)
                || reason.equals(ExchangeOutcome.TLS_HANDSHAKE) || reason.equals(SnapshotExport.MISSING)
                || reason.equals(SnapshotExport.UNVERIFIED) || reason.equals(SnapshotExport.UNREADABLE));
    }

    /**
     * A reason is a token: letters, digits and {@code _:.-}; anything else an adapter puts in one (a space, a line
     * break, a ';') becomes {@code _}, so that no reason can break a line of the ledger's trail or a list of reasons.
     */
    public BindingAnswer {
        if (reason != null) {
            reason = token(reason);
        }
    }

    private static String token(String reason) {
        for (int i = 0; i < reason.length(); i++) {
            if (!tokenCharacter(reason.charAt(i))) {
                StringBuilder token = new StringBuilder(reason.length());
                reason.chars().forEach(c -> token.append(tokenCharacter((char) c) ? (char) c : '_'));
                return token.toString();
            }
        }
        return reason;
    }

    private static boolean tokenCharacter(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-';
    }

    /** NOT_BOUND, not from a request (an export, a test). */
    public static final BindingAnswer NOT_BOUND = notBound(null);

    public static BindingAnswer notBound(String correlator) {
        return new BindingAnswer(Status.NOT_BOUND, 0, null, null, correlator, null);
    }

    public static BindingAnswer bound(int accounts) {
        return bound(accounts, null);
    }

    public static BindingAnswer bound(int accounts, String correlator) {
        return new BindingAnswer(Status.BOUND, accounts, null, null, correlator, null);
    }

    /** No answer, not from a request (nothing was sent, or an adapter without requests). */
    public static BindingAnswer noAnswer(String reason) {
        return noAnswer(reason, null);
    }

    /** No answer to the request with this {@code x-correlator} (null: nothing was sent). */
    public static BindingAnswer noAnswer(String reason, String correlator) {
        return noAnswerWithDetail(reason, null, correlator);
    }

    /**
     * No answer, with what the transport said about it for the operator's log.
     *
     * @param detail     e.g. the TLS stack's reason for a failed handshake; null when the reason says it all
     * @param correlator the request's {@code x-correlator}, null when nothing was sent
     */
    public static BindingAnswer noAnswerWithDetail(String reason, String detail, String correlator) {
        return new BindingAnswer(Status.NO_ANSWER, 0, reason, detail, correlator, null);
    }

    /** No answer yet: the platform took the question under {@code ticket} (a 202) and answers it later. */
    public static BindingAnswer pending(String ticket, String correlator) {
        return new BindingAnswer(Status.NO_ANSWER, 0, PENDING, null, correlator, ticket);
    }

    /** The answer that came under {@code ticket}, the platform's earlier 202. */
    public BindingAnswer withTicket(String ticket) {
        return new BindingAnswer(status, accounts, reason, detail, correlator, ticket);
    }

    /** Whether this is an answer still to come under a ticket. */
    public boolean pending() {
        return status == Status.NO_ANSWER && PENDING.equals(reason);
    }
}
