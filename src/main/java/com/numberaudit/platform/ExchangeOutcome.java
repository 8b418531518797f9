package com.numberaudit.platform;

import java.time.Duration;
import java.util.List;

/**
 * What one HTTP exchange with a platform came to, in the terms the resilience policies act on.
 *
 * @param kind       what happened
 * @param answers    ANSWERED: one answer per asked id, in order
 * @param reason     why there is no answer, e.g. {@code HTTP_503}, {@code TIMEOUT}
 * @param detail     what the transport said about it, for the log (a TLS handshake's failure), or null
 * @param retryAfter RETRYABLE: the platform's {@code Retry-After}, or null
 * @param ticket     ACCEPTED: the ticket to poll
 * @param correlator the request's {@code x-correlator}; null when none was sent (an open circuit)
 * @param cause      TIMEOUT or CONNECTION_FAILED: the transport's exception type ({@code EOFException}), for the log line
 *                   of a circuit's opening only (never an answer's detail: its message may name the url), or null
 */
record ExchangeOutcome(Kind kind, List<BindingAnswer> answers, String reason, String detail, Duration retryAfter,
                       String ticket, String correlator, String cause) {

    /** The TLS handshake with the platform failed: a wrong CA, a certificate for another host, no client certificate. */
    static final String TLS_HANDSHAKE = "TLS_HANDSHAKE";
    /** No whole answer within the platform's {@code timeout} (or no connection within 5 s). */
    static final String TIMEOUT = "TIMEOUT";
    /** The connection was refused or reset before an answer came. */
    static final String CONNECTION_FAILED = "CONNECTION_FAILED";
    /** The platform's "too many requests". */
    static final String HTTP_429 = "HTTP_429";

    enum Kind {
        /** 200 with results. */
        ANSWERED,
        /** 202: the answer will come later under {@code ticket}. */
        ACCEPTED,
        /** 5xx, time-out, reset, failed TLS handshake, unparsable body, 429: worth another attempt. */
        RETRYABLE,
        /** 413: the batch is above the platform's limit. */
        TOO_LARGE,
        /** 401/403: the credentials are refused; the platform is down for this run. */
        CREDENTIALS_REFUSED,
        /** 400 and other refusals, or the circuit is open: no retry. */
        REFUSED
    }

    /** @param answers one per asked id, each carrying the request's correlator */
    static ExchangeOutcome answered(List<BindingAnswer> answers, String correlator) {
        return new ExchangeOutcome(Kind.ANSWERED, answers, null, null, null, null, correlator, null);
    }

    static ExchangeOutcome accepted(String ticket, String correlator) {
        return new ExchangeOutcome(Kind.ACCEPTED, null, BindingAnswer.PENDING, null, null, ticket, correlator, null);
    }

    static ExchangeOutcome retryable(String reason, Duration retryAfter, String correlator) {
        return new ExchangeOutcome(Kind.RETRYABLE, null, reason, null, retryAfter, null, correlator, null);
    }

    /**
     * A failed TLS handshake, retried like a reset: one with a load balancer's node in the middle of a
     * certificate change may pass the next time, one that never passes opens the circuit.
     *
     * @param message    the TLS stack's reason, e.g. {@code No name matching localhost found}
     * @param correlator the {@code x-correlator} of the request that did not get through
     */
    static ExchangeOutcome tlsHandshakeFailed(String message, String correlator) {
        return new ExchangeOutcome(Kind.RETRYABLE, null, TLS_HANDSHAKE, message, null, null, correlator, null);
    }

    /** A time-out or a failed connection, retried; {@code cause} names the transport's exception for the circuit's log. */
    static ExchangeOutcome transportFailed(String reason, String cause, String correlator) {
        return new ExchangeOutcome(Kind.RETRYABLE, null, reason, null, null, null, correlator, cause);
    }

    static ExchangeOutcome of(Kind kind, String reason, String correlator) {
        return new ExchangeOutcome(kind, null, reason, null, null, null, correlator, null);
    }

    /** How the circuit breaker's log names this failure: {@code HTTP_503}, {@code CONNECTION_FAILED (EOFException)}. */
    String failureKind() {
        return cause == null ? reason : reason + " (" + cause + ")";
    }

    boolean retryable() {
        return kind == Kind.RETRYABLE;
    }

    /** A 429 whose {@code Retry-After} asks for a longer wait than {@code longest}. */
    boolean throttledBeyond(Duration longest) {
        return retryAfter != null && retryAfter.compareTo(longest) > 0;
    }

    /** Whether the platform answered the request with an HTTP status (its latency is the platform's). */
    boolean responded() {
        return !(TIMEOUT.equals(reason) || CONNECTION_FAILED.equals(reason) || TLS_HANDSHAKE.equals(reason));
    }

    /** A failure that says the platform is unwell (not a throttle, not our own mistake): counts toward opening its circuit. */
    boolean platformFailure() {
        return kind == Kind.RETRYABLE && retryAfter == null;
    }
}
