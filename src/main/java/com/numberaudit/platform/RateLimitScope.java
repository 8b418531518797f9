package com.numberaudit.platform;

import org.springframework.core.env.Environment;

/**
 * Whose requests a platform's {@code rate-limit} has to cover: this process's alone (one node, the default), or those of
 * every worker together, when the audit step is split into partitions or this process is a worker. Only then are the
 * slots shared through the job repository ({@link SharedRequestPacer}); one node keeps its in-process
 * {@link RequestPacer} and asks the database nothing.
 *
 * @param partitions {@code audit.partitions}: how many partitions the audit step is split into (1: not split)
 * @param role       {@code audit.role}: {@code manager} (the default) or {@code worker}
 */
public record RateLimitScope(int partitions, String role) {

    /** One node: the default. */
    public static final RateLimitScope SINGLE_NODE = new RateLimitScope(1, "manager");

    /**
     * The scope read from the environment, by key.
     * <p>
     * A seam for the integration of remote partitioning: {@code audit.partitions} and {@code audit.role} are settings of
     * {@code AuditProperties} added by the partitioned step and the worker transport, built in parallel with this. Once
     * they are there, build the scope from {@code AuditProperties} instead ({@code new RateLimitScope(properties.partitions(),
     * properties.role())}, or the role's enum name) and remove this method; the defaults here (1, {@code manager}) must
     * match theirs.
     */
    public static RateLimitScope from(Environment environment) {
        return new RateLimitScope(environment.getProperty("audit.partitions", Integer.class, 1),
                environment.getProperty("audit.role", "manager"));
    }

    /** Whether the requests of several processes share each platform's rate limit. */
    public boolean shared() {
        return partitions > 1 || "worker".equalsIgnoreCase(role);
    }
}
