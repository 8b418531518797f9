package com.numberaudit.platform;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One platform's block under {@code audit.platforms.<id>}: everything that differs between
 * platforms is here, so a new platform is YAML, not code.
 *
 * @param name           display name for reports (defaults to the id)
 * @param enabled        whether this run asks the platform at all
 * @param url            base URL of its Binding Check API; empty means "served by the simulator"
 * @param adapter        which adapter speaks to it ({@value BindingCheckApiAdapter#NAME} by default)
 * @param batchSize      ids per request, at most what the platform announces as {@code maxBatch}
 * @param timeout        per request, from sending to the last byte of the answer
 * @param maxConcurrency requests in flight at once
 */
public record PlatformSettings(
        String name,
        @DefaultValue("true") boolean enabled,
        URI url,
        @DefaultValue(BindingCheckApiAdapter.NAME) @NotBlank String adapter,
        @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("4") @Min(1) @Max(256) int maxConcurrency) {
}
