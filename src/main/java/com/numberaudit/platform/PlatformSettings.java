package com.numberaudit.platform;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One platform's block under {@code audit.platforms.<id>}: everything that differs between
 * platforms is here, so a new platform is YAML, not code. Secrets are {@link Secret}s and never
 * print.
 *
 * @param name           display name for reports (defaults to the id)
 * @param enabled        whether this run asks the platform at all
 * @param url            base URL of its Binding Check API; empty means "served by the simulator"
 * @param adapter        which adapter speaks to it ({@value BindingCheckApiAdapter#NAME} by default)
 * @param batchSize      ids per request, at most what the platform announces as {@code maxBatch}
 * @param timeout        per request, from sending to the last byte of the answer
 * @param maxConcurrency requests in flight at once
 * @param rateLimit      requests per second the platform allows; requests are paced below it (unset: no limit)
 * @param token          bearer token, when the platform uses tokens
 * @param hmacSecret     request-signing secret, when the platform signs requests
 * @param idType         how ids are sent: E164, or HMAC-SHA256 hashed with {@code idKey}
 * @param idKey          the key shared with the platform for hashed ids
 * @param retry          retries of transient failures
 * @param circuitBreaker when to stop asking a failing platform
 * @param pendingWait    how long to poll for an asynchronous (202) answer before the ids count as PENDING
 * @param snapshot       snapshot-file adapter: the platform's export of bound ids; {@code {date}} is the business date
 */
public record PlatformSettings(
        String name,
        @DefaultValue("true") boolean enabled,
        URI url,
        @DefaultValue(BindingCheckApiAdapter.NAME) @NotBlank String adapter,
        @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("10s") @NotNull Duration timeout,
        @DefaultValue("4") @Min(1) @Max(256) int maxConcurrency,
        @Positive Double rateLimit,
        Secret token,
        Secret hmacSecret,
        @DefaultValue("E164") @NotNull IdType idType,
        Secret idKey,
        @DefaultValue @Valid RetrySettings retry,
        @DefaultValue @Valid CircuitBreakerSettings circuitBreaker,
        @DefaultValue("5s") @NotNull Duration pendingWait,
        String snapshot) {
}
