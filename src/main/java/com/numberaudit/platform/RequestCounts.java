package com.numberaudit.platform;

/**
 * How many requests a run sent one platform, and how the platform took them.
 *
 * @param requests        requests sent: POSTs, their retries and ticket polls
 * @param retries         attempts repeated after a 5xx, a time-out, a reset, a broken body or a 429
 * @param http429         requests the platform answered 429 (too many requests)
 * @param circuitOpenings times the platform's circuit opened (its remaining numbers went undetermined at once)
 */
public record RequestCounts(long requests, long retries, long http429, long circuitOpenings) {

    public static final RequestCounts NONE = new RequestCounts(0, 0, 0, 0);

    public RequestCounts plus(RequestCounts other) {
        return new RequestCounts(requests + other.requests, retries + other.retries, http429 + other.http429,
                circuitOpenings + other.circuitOpenings);
    }

    /** What is left of these counts after {@code other}'s, never below zero. */
    public RequestCounts minus(RequestCounts other) {
        return new RequestCounts(Math.max(0, requests - other.requests), Math.max(0, retries - other.retries),
                Math.max(0, http429 - other.http429), Math.max(0, circuitOpenings - other.circuitOpenings));
    }
}
