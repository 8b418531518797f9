package com.numberaudit.platform;

import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ids each platform left without an answer this run, by reason. The first of each (platform,
 * reason) is logged at once in one line; the rest are counted, and summed up in one line each when
 * the run ends: a platform down all night logs a handful of lines, not one per batch.
 */
public final class NoAnswerLog {

    private static final Logger log = LoggerFactory.getLogger(NoAnswerLog.class);

    private final ConcurrentMap<String, ConcurrentMap<String, LongAdder>> unanswered = new ConcurrentHashMap<>();

    /**
     * @param ids    how many ids of one batch got no answer for {@code reason}
     * @param detail what the transport said about the first of them (a TLS handshake's failure), logged with it; else null
     * @param cause  the unexpected exception behind them, logged with its stack trace if it is the first; else null
     */
    public void record(String platformId, String reason, String detail, int ids, Throwable cause) {
        ConcurrentMap<String, LongAdder> byReason = unanswered.computeIfAbsent(platformId, id -> new ConcurrentHashMap<>());
        LongAdder count = byReason.get(reason);
        if (count == null) {
            LongAdder first = new LongAdder();
            count = byReason.putIfAbsent(reason, first);
            if (count == null) {
                count = first;
                String message = "{}: no answer for {} ids: {} (the first; the rest are counted and summed up when the run ends)";
                String why = detail == null ? reason : reason + ": " + detail;
                if (cause == null) {
                    log.warn(message, platformId, ids, why);
                } else {
                    log.error(message, platformId, ids, why, cause);
                }
            }
        }
        count.add(ids);
    }

    /** One line per (platform, reason): how many ids it left without an answer this run. */
    public void summarise() {
        new TreeMap<>(unanswered).forEach((platformId, byReason) -> new TreeMap<>(byReason).forEach((reason, count) ->
                log.warn("{}: no answer for {} ids this run: {}", platformId, count.sum(), reason)));
    }

}
