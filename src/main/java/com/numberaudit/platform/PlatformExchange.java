package com.numberaudit.platform;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One request to a platform and what it came to: what {@link BindingCheckApiAdapter}'s policies are
 * composed around. {@link BindingCheckExchange} speaks HTTP; a test stands in for it to drive the
 * policies with outcomes a real server cannot be made to give on cue.
 */
interface PlatformExchange {

    /** Asks about {@code ids} (in wire form: E.164 or hex, as ASCII bytes). */
    CompletableFuture<ExchangeOutcome> post(LocalDate asOf, List<byte[]> ids);

    /** Asks for the answer to an earlier 202 under {@code ticket}. */
    CompletableFuture<ExchangeOutcome> poll(String ticket, List<byte[]> ids);
}
