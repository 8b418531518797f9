package com.numberaudit.platform;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code audit.platforms.<id>.retry}: how transient failures (5xx, time-outs, resets, 429) are
 * retried, with exponential back-off and jitter; a 429 waits at least its {@code Retry-After}, and
 * one asking for longer than {@code max-backoff} leaves its batch without an answer at once.
 *
 * @param maxAttempts    attempts per batch, the first included
 * @param initialBackoff wait before the second attempt; doubles each time, randomised by ±50 %
 * @param maxBackoff     longest wait between two attempts, a 429's {@code Retry-After} included
 */
public record RetrySettings(
        @DefaultValue("4") @Min(1) @Max(20) int maxAttempts,
        @DefaultValue("200ms") Duration initialBackoff,
        @DefaultValue("10s") Duration maxBackoff) {
}
