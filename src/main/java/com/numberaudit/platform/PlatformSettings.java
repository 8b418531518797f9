package com.numberaudit.platform;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.bind.DefaultValue;

import com.numberaudit.AuditConfigurationException;

/**
 * One platform's block under {@code audit.platforms.<id>}: everything that differs between
 * platforms is here, so a new platform is YAML, not code. Secrets are {@link Secret}s and never
 * print; each may be given inline or as a file ({@code token-file}, read by {@link #withSecretsFromFiles}).
 *
 * @param name           display name for reports (defaults to the id)
 * @param enabled        whether this run asks the platform at all
 * @param url            base URL of its Binding Check API; empty means "served by the simulator"
 * @param adapter        which adapter speaks to it ({@value BindingCheckApiAdapter#NAME} by default)
 * @param batchSize      ids per request, at most what the platform announces as {@code maxBatch}
 * @param timeout        per request, from sending to the last byte of the answer
 * @param maxConcurrency requests in flight at once, at most
 * @param adaptiveConcurrency whether the requests in flight follow the platform's answer times, between 1 and
 *                       {@code maxConcurrency} ({@link AdaptiveConcurrency}); false: always {@code maxConcurrency}
 * @param rateLimit      requests per second the platform allows; requests are paced below it (unset: no limit)
 * @param token          bearer token, when the platform uses tokens
 * @param tokenFile      a file holding the bearer token instead
 * @param hmacSecret     request-signing secret, when the platform signs requests
 * @param hmacSecretFile a file holding the request-signing secret instead
 * @param idType         how ids are sent: E164, or HMAC-SHA256 hashed with {@code idKey}
 * @param idKey          the key shared with the platform for hashed ids
 * @param idKeyFile      a file holding the id key instead
 * @param retry          retries of transient failures
 * @param circuitBreaker when to stop asking a failing platform
 * @param pendingWait    how long to poll for an asynchronous (202) answer before the ids count as PENDING
 * @param answerWithin   how long (whole days) a ticket of a PENDING answer is polled on later nights before it expires:
 *                       its numbers are then undetermined ({@code EXPIRED}) and asked afresh
 * @param snapshot       snapshot-file adapter: the platform's export of bound ids; {@code {date}} is the business date
 * @param sslBundle      the Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.<name>} or {@code .jks.<name>}) whose
 *                       trust material pins the platform's CA and whose key material, if any, is the client certificate
 * @param allowInsecureHttp whether a plain {@code http://} url may point at another machine than this one
 */
public record PlatformSettings(
        String name,
        @DefaultValue("true") boolean enabled,
        URI url,
        @DefaultValue(BindingCheckApiAdapter.NAME) @NotBlank String adapter,
        @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("10s") @NotNull Duration timeout,
        @DefaultValue("4") @Min(1) @Max(256) int maxConcurrency,
        @DefaultValue("true") boolean adaptiveConcurrency,
        @Positive Double rateLimit,
        Secret token,
        Path tokenFile,
        Secret hmacSecret,
        Path hmacSecretFile,
        @DefaultValue("E164") @NotNull IdType idType,
        Secret idKey,
        Path idKeyFile,
        @DefaultValue @Valid RetrySettings retry,
        @DefaultValue @Valid CircuitBreakerSettings circuitBreaker,
        @DefaultValue("5s") @NotNull Duration pendingWait,
        @DefaultValue("5d") @NotNull @DurationMin(days = 1) Duration answerWithin,
        String snapshot,
        String sslBundle,
        @DefaultValue("false") boolean allowInsecureHttp) {

    /** The name reports show for the platform {@code id}: its {@code name}, or the id. */
    public String displayName(String id) {
        return name == null || name.isBlank() ? id : name;
    }

    /**
     * These settings with every secret given as a file read into its inline key, as if it had been
     * given inline: the rest of the run (and the run's fingerprint) cannot tell the two apart.
     *
     * @param key where these settings are, {@code audit.platforms.<id>}
     * @throws AuditConfigurationException naming each key and file at fault (a secret given both ways, a
     *                                     file missing, unreadable or empty), never a secret's content
     */
    public PlatformSettings withSecretsFromFiles(String key) {
        List<String> problems = new ArrayList<>();
        Secret fileToken = secret(key, "token", token, tokenFile, problems);
        Secret fileHmacSecret = secret(key, "hmac-secret", hmacSecret, hmacSecretFile, problems);
        Secret fileIdKey = secret(key, "id-key", idKey, idKeyFile, problems);
        if (!problems.isEmpty()) {
            throw new AuditConfigurationException(problems);
        }
        return new PlatformSettings(name, enabled, url, adapter, batchSize, timeout, maxConcurrency, adaptiveConcurrency, rateLimit,
                fileToken, null, fileHmacSecret, null, idType, fileIdKey, null, retry, circuitBreaker, pendingWait,
                answerWithin, snapshot, sslBundle, allowInsecureHttp);
    }

    private static Secret secret(String key, String name, Secret inline, Path file, List<String> problems) {
        if (file == null) {
            return inline;
        }
        if (inline != null) {
            problems.add(key + "." + name + "-file: " + key + "." + name + " is set too; give the secret one way only");
            return null;
        }
        try {
            return Secret.readFrom(file);
        } catch (IllegalArgumentException e) {
            problems.add(key + "." + name + "-file: " + e.getMessage());
            return null;
        }
    }
}
