package com.numberaudit.demo;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

import com.numberaudit.platform.Secret;

/**
 * How the simulator behaves for one platform, under {@code audit.simulator.faults.<id>}.
 * Every field defaults to "behave well", so a fault is switched on by naming it.
 *
 * @param errorStatus answer this HTTP status instead of results (429 comes with {@code Retry-After}) ...
 * @param errorRate   ... for this share of requests (1.0: always) ...
 * @param failFirst   ... or, when above 0, for exactly the first this many requests
 * @param brokenJson  answer 200 with a body that is cut off mid-way
 * @param dropRate    leave this share of the asked ids out of the results (the same ids every time)
 * @param delay       wait this long before answering each request
 * @param loadDelay   and this long again for each request the platform holds at that moment, this one included: a
 *                    platform whose answers slow down with the load it is given
 * @param hang        never answer
 * @param maxBatch    answer 413 to a request with more ids than this
 * @param rateLimit   requests per second accepted; above it, 429 with {@code Retry-After} (0: no limit)
 * @param retryAfter  the {@code Retry-After} sent with a 429
 * @param token       require {@code Authorization: Bearer <token>}, else 401
 * @param hmacSecret  require a valid HMAC request signature, else 401
 * @param idKey       expect {@code HMAC-SHA256} ids hashed with this key
 * @param asyncPolls  answer 202 with a ticket that is ready after this many polls (0: answer at once; -1: never ready)
 * @param layout      how a 200 answer's JSON is laid out (compact, spaces, pretty, reordered, unknown-fields): the
 *                    contract leaves it free, and independent servers differ
 */
public record SimulatedFaults(
        @DefaultValue("0") int errorStatus,
        @DefaultValue("1.0") double errorRate,
        @DefaultValue("0") int failFirst,
        @DefaultValue("false") boolean brokenJson,
        @DefaultValue("0.0") double dropRate,
        @DefaultValue("0ms") Duration delay,
        @DefaultValue("0ms") Duration loadDelay,
        @DefaultValue("false") boolean hang,
        @DefaultValue("500") int maxBatch,
        @DefaultValue("0") double rateLimit,
        @DefaultValue("1s") Duration retryAfter,
        Secret token,
        Secret hmacSecret,
        Secret idKey,
        @DefaultValue("0") int asyncPolls,
        @DefaultValue("compact") AnswerLayout layout) {

    public static final SimulatedFaults NONE = new SimulatedFaults(0, 1.0, 0, false, 0.0, Duration.ZERO, Duration.ZERO, false, 500, 0,
            Duration.ofSeconds(1), null, null, null, 0, AnswerLayout.COMPACT);
}
