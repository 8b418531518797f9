package com.numberaudit.platform;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.numberaudit.AuditConfigurationException;

/**
 * The enabled platforms of this run, sorted by id, each with its adapter. Built once at start-up
 * from {@code audit.platforms}; every configuration mistake stops the run here, before any
 * number is read.
 */
public final class PlatformRegistry {

    private static final Pattern PLATFORM_ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final List<Platform> platforms;
    private final List<BindingCheckAdapter> adapters;

    private PlatformRegistry(List<Platform> platforms, List<BindingCheckAdapter> adapters) {
        this.platforms = List.copyOf(platforms);
        this.adapters = List.copyOf(adapters);
    }

    /**
     * @param settings      {@code audit.platforms}
     * @param factories     the adapter factories known to the application
     * @param simulatorUrls base URL per platform id for platforms without a {@code url}, or null
     *                      when the simulator is disabled
     */
    public static PlatformRegistry build(Map<String, PlatformSettings> settings, List<BindingCheckAdapterFactory> factories,
                                         Function<String, URI> simulatorUrls) {
        Map<String, BindingCheckAdapterFactory> factoriesByName = factories.stream()
                .collect(Collectors.toMap(BindingCheckAdapterFactory::name, Function.identity()));
        List<Platform> platforms = new ArrayList<>();
        List<BindingCheckAdapter> adapters = new ArrayList<>();
        for (Map.Entry<String, PlatformSettings> entry : new TreeMap<>(settings == null ? Map.of() : settings).entrySet()) {
            String id = entry.getKey();
            PlatformSettings platformSettings = entry.getValue();
            if (!PLATFORM_ID.matcher(id).matches()) {
                throw new AuditConfigurationException("audit.platforms." + id
                        + ": a platform id is lower-case letters, digits, '-' and '_'");
            }
            if (!platformSettings.enabled()) {
                continue;
            }
            BindingCheckAdapterFactory factory = factoriesByName.get(platformSettings.adapter());
            if (factory == null) {
                throw new AuditConfigurationException("audit.platforms." + id + ".adapter: unknown adapter '"
                        + platformSettings.adapter() + "' (known: " + String.join(", ", new TreeMap<>(factoriesByName).keySet()) + ")");
            }
            if (platformSettings.idType() == IdType.HMAC_SHA256 && platformSettings.idKey() == null) {
                throw new AuditConfigurationException("audit.platforms." + id + ".id-key: required when id-type is HMAC-SHA256");
            }
            Platform platform = new Platform(id, platformSettings, baseUrl(id, platformSettings, simulatorUrls));
            platforms.add(platform);
            adapters.add(factory.create(platform));
        }
        if (platforms.isEmpty()) {
            throw new AuditConfigurationException("audit.platforms: no platform is enabled, so no number could ever be clean");
        }
        return new PlatformRegistry(platforms, adapters);
    }

    private static URI baseUrl(String id, PlatformSettings settings, Function<String, URI> simulatorUrls) {
        if (settings.url() != null) {
            return settings.url();
        }
        if (!BindingCheckApiAdapter.NAME.equals(settings.adapter())) {
            return null;
        }
        if (simulatorUrls == null) {
            throw new AuditConfigurationException("audit.platforms." + id
                    + ".url: not set, and audit.simulator.enabled=false: set the platform's Binding Check API URL or disable it");
        }
        return simulatorUrls.apply(id);
    }

    /** The enabled platforms, sorted by id; a platform's position here is its index everywhere. */
    public List<Platform> platforms() {
        return platforms;
    }

    public BindingCheckAdapter adapter(int index) {
        return adapters.get(index);
    }

    /** Whether any enabled platform is served by the built-in simulator. */
    public static boolean needsSimulator(Map<String, PlatformSettings> settings) {
        return settings != null && settings.values().stream()
                .anyMatch(s -> s.enabled() && s.url() == null && BindingCheckApiAdapter.NAME.equals(s.adapter()));
    }
}
