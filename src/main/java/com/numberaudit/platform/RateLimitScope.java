package com.numberaudit.platform;

import com.numberaudit.AuditProperties;

/**
 * Whose requests a platform's {@code rate-limit} has to cover: this process's alone (one node, the default), or those of
 * every worker together, when the audit step is split into partitions or this process is a worker. Only then are the
 * slots shared through the job repository ({@link SharedRequestPacer}); one node keeps its in-process
 * {@link RequestPacer} and asks the database nothing.
 *
 * @param partitions {@code audit.partitions}: how many partitions the audit step is split into (1: not split)
 * @param role       {@code audit.role}: {@code manager} (the default) or {@code worker}
 */
public record RateLimitScope(int partitions, AuditProperties.Role role) {

    /** One node: the default. */
    public static final RateLimitScope SINGLE_NODE = new RateLimitScope(1, AuditProperties.Role.MANAGER);

    /** The scope of this process's settings. */
    public static RateLimitScope of(AuditProperties properties) {
        return new RateLimitScope(properties.partitions(), properties.role());
    }

    /** Whether the requests of several processes share each platform's rate limit. */
    public boolean shared() {
        return partitions > 1 || role == AuditProperties.Role.WORKER;
    }
}
