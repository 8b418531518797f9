package com.numberaudit.platform;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** The {@link PlatformMeters} of every platform this run asks, in the application's Micrometer registry. */
@Component
public final class RequestMeters {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, PlatformMeters> byPlatform = new ConcurrentHashMap<>();

    public RequestMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The platform's meters, registered the first time they are asked for. */
    public PlatformMeters of(String platformId) {
        return byPlatform.computeIfAbsent(platformId, id -> new PlatformMeters(registry, id));
    }
}
