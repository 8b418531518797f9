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
 * from {@code audit.platforms}, with the secrets given as files read in; every configuration
 * mistake found here is reported together, before any number is read.
 * <p>
 * A run is a <em>demo</em> when every enabled platform lacks a {@code url} and a demo server is
 * offered: then the demo server answers for all of them. Otherwise every platform must be real;
 * the demo server never answers beside a real platform, because its NOT_BOUND would release
 * numbers no platform was asked about.
 * <p>
 * It also keeps the run's {@link NoAnswerLog}, and sums it up when it is closed: Spring closes it
 * with the application context, after the run.
 */
public final class PlatformRegistry implements AutoCloseable {

    /** At most 64 characters: the ledger keeps it per request and ticket ({@code ledger_request.platform}). */
    private static final Pattern PLATFORM_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final List<Platform> platforms;
    private final List<BindingCheckAdapter> adapters;
    private final boolean demo;
    private final NoAnswerLog noAnswers = new NoAnswerLog();

    private PlatformRegistry(List<Platform> platforms, List<BindingCheckAdapter> adapters, boolean demo) {
        this.platforms = List.copyOf(platforms);
        this.adapters = List.copyOf(adapters);
        this.demo = demo;
    }

    /**
     * @param settings   {@code audit.platforms}
     * @param factories  the adapter factories known to the application
     * @param demoServer answers for platforms without a {@code url} in a demo run; null when
     *                   {@code audit.simulator.enabled=false}
     * @throws AuditConfigurationException naming every problem found
     */
    public static PlatformRegistry build(Map<String, PlatformSettings> settings, List<BindingCheckAdapterFactory> factories,
                                         DemoServer demoServer) {
        Map<String, BindingCheckAdapterFactory> factoriesByName = factories.stream()
                .collect(Collectors.toMap(BindingCheckAdapterFactory::name, Function.identity(), (a, b) -> a, TreeMap::new));
        List<String> problems = new ArrayList<>();
        Map<String, PlatformSettings> enabled = new TreeMap<>();
        new TreeMap<>(settings == null ? Map.<String, PlatformSettings>of() : settings).forEach((id, platformSettings) -> {
            if (!PLATFORM_ID.matcher(id).matches()) {
                problems.add("audit.platforms." + id + ": a platform id is lower-case letters, digits, '-' and '_', at most 64 characters");
            } else if (platformSettings.enabled()) {
                enabled.put(id, platformSettings);
            }
        });
        if (enabled.isEmpty() && problems.isEmpty()) {
            problems.add("audit.platforms: no platform is enabled, so no number could ever be clean");
        }
        List<String> withoutUrl = enabled.entrySet().stream().filter(e -> needsUrl(e.getValue())).map(Map.Entry::getKey).toList();
        List<String> real = enabled.entrySet().stream().filter(e -> !needsUrl(e.getValue())).map(Map.Entry::getKey).toList();
        boolean demo = !withoutUrl.isEmpty() && real.isEmpty() && demoServer != null;
        if (!withoutUrl.isEmpty() && !demo) {
            problems.add(real.isEmpty()
                    ? "audit.platforms.<id>.url is not set for " + named(withoutUrl) + ", and audit.simulator.enabled=false: "
                            + "set each platform's Binding Check API url, or disable it (audit.platforms.<id>.enabled=false)"
                    : "audit.platforms.<id>.url is not set for " + named(withoutUrl) + ", while " + named(real)
                            + (real.size() == 1 ? " is a real platform" : " are real platforms")
                            + ": the demo simulator never answers beside real platforms; set each url, or disable the platform "
                            + "(audit.platforms.<id>.enabled=false)");
        }
        List<Platform> platforms = new ArrayList<>();
        List<BindingCheckAdapter> adapters = new ArrayList<>();
        enabled.forEach((id, configured) -> {
            PlatformSettings platformSettings;
            try {
                platformSettings = configured.withSecretsFromFiles("audit.platforms." + id);
            } catch (AuditConfigurationException e) {
                problems.addAll(e.problems());
                return;
            }
            BindingCheckAdapterFactory factory = factoriesByName.get(platformSettings.adapter());
            if (factory == null) {
                problems.add("audit.platforms." + id + ".adapter: unknown adapter '" + platformSettings.adapter()
                        + "' (known: " + String.join(", ", factoriesByName.keySet()) + ")");
                return;
            }
            if (platformSettings.idType() == IdType.HMAC_SHA256 && platformSettings.idKey() == null) {
                problems.add("audit.platforms." + id + ".id-key: required when id-type is HMAC-SHA256");
                return;
            }
            if (needsUrl(platformSettings) && !demo) {
                return;
            }
            URI baseUrl = platformSettings.url() != null ? platformSettings.url() : demo ? demoServer.baseUrl(id) : null;
            Platform platform = new Platform(id, platformSettings, baseUrl);
            try {
                adapters.add(factory.create(platform));
                platforms.add(platform);
            } catch (AuditConfigurationException e) {
                problems.addAll(e.problems());
            }
        });
        if (!problems.isEmpty()) {
            throw new AuditConfigurationException(problems);
        }
        return new PlatformRegistry(platforms, adapters, demo);
    }

    /** A Binding Check API platform without its own url: only a demo server could answer for it. */
    private static boolean needsUrl(PlatformSettings settings) {
        return settings.url() == null && BindingCheckApiAdapter.NAME.equals(settings.adapter());
    }

    private static String named(List<String> ids) {
        return ids.size() == 1 ? ids.get(0) : ids.size() + " platforms (" + String.join(", ", ids) + ")";
    }

    /** The enabled platforms, sorted by id; a platform's position here is its index everywhere. */
    public List<Platform> platforms() {
        return platforms;
    }

    public BindingCheckAdapter adapter(int index) {
        return adapters.get(index);
    }

    /** Whether the answers come from the demo server rather than from the platforms. */
    public boolean demo() {
        return demo;
    }

    /** The ids the platforms left without an answer this run. */
    public NoAnswerLog noAnswers() {
        return noAnswers;
    }

    /** The run is over: one line per platform and reason of no answer, with its count. */
    @Override
    public void close() {
        noAnswers.summarise();
    }
}
