package com.numberaudit.platform;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code audit.platforms.<id>.circuit-breaker}: when a platform keeps failing, stop asking it
 * for a while, so its numbers go UNDETERMINED at once instead of waiting out every retry.
 *
 * @param failureRate  percentage of failed requests, over the last {@code minimumCalls}, that opens the circuit
 * @param minimumCalls requests needed before the rate is judged
 * @param openFor      how long the circuit stays open before a few trial requests are let through
 */
public record CircuitBreakerSettings(
        @DefaultValue("50") @Min(1) @Max(100) int failureRate,
        @DefaultValue("10") @Min(1) @Max(10_000) int minimumCalls,
        @DefaultValue("30s") Duration openFor) {
}
