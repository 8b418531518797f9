package com.numberaudit;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

import com.numberaudit.demo.SimulatorSettings;
import com.numberaudit.metrics.MetricsSettings;
import com.numberaudit.partition.RemotePartitioning;
import com.numberaudit.platform.Secret;

/**
 * Reads the whole configuration under {@code audit.} before anything starts and refuses to run
 * (exit 2) on any problem, naming every one found, each with its key: a key no setting has (with
 * the closest one that exists: a misspelt {@code ulr} must not silently leave a platform without
 * its url), a {@code ${…}} placeholder nothing sets, a value that cannot be read or is out of
 * bounds, an empty or padded secret, an output path that is a file, a JDBC URL no driver in the
 * jar accepts. Secret values are never echoed; other values are, to show what was read.
 */
final class ConfigurationCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    /** The settings records bound under {@code audit}: every key there belongs to one of them. */
    private static final List<Class<? extends Record>> SETTINGS = List.of(AuditProperties.class, SimulatorSettings.class,
            MetricsSettings.class);
    private static final ConfigurationPropertyName AUDIT = ConfigurationPropertyName.of("audit");
    private static final Map<String, Type> ROOT = rootSettings();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(:[^}]*)?}");
    /** The user info of a URL ({@code //user:password@host}): a credential, never echoed. */
    private static final Pattern USER_INFO = Pattern.compile("//[^/@\\s]*@");
    private static final Logger log = LoggerFactory.getLogger(ConfigurationCheck.class);

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        Set<String> problems = new LinkedHashSet<>();
        Set<ConfigurationPropertyName> names = new TreeSet<>();
        Set<ConfigurationPropertyName> setOutsideTheEnvironment = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                boolean environmentVariables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
                iterable.stream().filter(AUDIT::isAncestorOf).forEach(name -> {
                    names.add(name);
                    if (!environmentVariables) {
                        setOutsideTheEnvironment.add(name);
                    }
                });
            }
        }
        Set<String> unresolved = new TreeSet<>();
        for (ConfigurationPropertyName name : names) {
            UnknownKey unknown = unknownKey(name);
            if (unknown != null && unknown.at() == 1 && !setOutsideTheEnvironment.contains(name)) {
                // AUDIT_SERVICE_HOST and the like: what Kubernetes sets for a service named "audit", not a setting of ours
                log.warn("Environment variable for {} ignored: number-audit has no such setting", name);
            } else if (unknown != null) {
                problems.add(unknown.problem());
            }
            for (String placeholder : unsetPlaceholders(environment, name)) {
                problems.add(name + ": " + placeholder + " is not set");
                unresolved.add(name.toString());
            }
        }
        // a value whose placeholder is not set is reported as that, not again as unreadable
        bindingProblems(environment).stream().filter(problem -> unresolved.stream().noneMatch(problem::startsWith))
                .forEach(problems::add);
        String output = environment.getProperty("audit.output", "output");
        if (Files.exists(Path.of(output)) && !Files.isDirectory(Path.of(output))) {
            problems.add("audit.output: " + Path.of(output).toAbsolutePath() + " is a file, not a folder");
        }
        String partitioningProblem = partitioningProblem(environment);
        if (partitioningProblem != null) {
            problems.add(partitioningProblem);
        }
        String driverProblem = driverProblem(environment);
        if (driverProblem != null) {
            problems.add(driverProblem);
        }
        if (!problems.isEmpty()) {
            throw new AuditConfigurationException(List.copyOf(problems));
        }
    }

    /** A key no setting has: the position of its first unknown element, and the problem naming it. */
    private record UnknownKey(int at, String problem) {
    }

    /** The problem with a key that no setting has, naming the first unknown part of it; null when it is known. */
    private static UnknownKey unknownKey(ConfigurationPropertyName name) {
        Type type = null;
        for (int i = 1; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, ConfigurationPropertyName.Form.DASHED);
            Map<String, Type> known;
            if (i == 1) {
                known = ROOT;
            } else if (type instanceof ParameterizedType map && map.getRawType() == Map.class) {
                type = map.getActualTypeArguments()[1];
                continue;
            } else if (type instanceof Class<?> group && group.isRecord() && group != Secret.class) {
                known = settingsOf(group);
            } else {
                return new UnknownKey(i, name.chop(i + 1) + ": unknown key (" + name.chop(i) + " is a value, not a group of settings)");
            }
            type = known.entrySet().stream().filter(setting -> uniform(setting.getKey()).equals(uniform(element)))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (type == null || name.isNumericIndex(i)) {
                return new UnknownKey(i, name.chop(i + 1) + ": unknown key" + suggestion(name.chop(i), element, known.keySet()));
            }
        }
        return null;
    }

    /** The settings directly under {@code audit}, by key: each record's components, or a record bound under a longer prefix. */
    private static Map<String, Type> rootSettings() {
        Map<String, Type> root = new LinkedHashMap<>();
        for (Class<? extends Record> settings : SETTINGS) {
            String prefix = settings.getAnnotation(ConfigurationProperties.class).value();
            if (prefix.equals("audit")) {
                root.putAll(settingsOf(settings));
            } else {
                root.put(prefix.substring("audit.".length()), settings);
            }
        }
        return root;
    }

    /** A settings record's keys, as an operator writes them, and their types. */
    private static Map<String, Type> settingsOf(Class<?> record) {
        Map<String, Type> settings = new LinkedHashMap<>();
        for (RecordComponent component : record.getRecordComponents()) {
            settings.put(dashed(component.getName()), component.getGenericType());
        }
        return settings;
    }

    private static String suggestion(ConfigurationPropertyName parent, String element, Set<String> known) {
        String closest = known.stream().min(Comparator.comparingInt(key -> distance(key, element))).orElse(null);
        if (closest != null && distance(closest, element) <= Math.max(2, element.length() / 3)) {
            return " (did you mean " + parent.append(closest) + "?)";
        }
        return known.isEmpty() ? "" : " (known under " + parent + ": " + String.join(", ", new TreeSet<>(known)) + ")";
    }

    /** Names of {@code ${…}} placeholders in the raw value that nothing sets (those with a default are fine). */
    private static List<String> unsetPlaceholders(ConfigurableEnvironment environment, ConfigurationPropertyName name) {
        List<String> unset = new ArrayList<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                if (property.getValue() instanceof CharSequence raw) {
                    Matcher placeholder = PLACEHOLDER.matcher(raw);
                    while (placeholder.find()) {
                        if (placeholder.group(2) == null && environment.getProperty(placeholder.group(1)) == null) {
                            unset.add("${" + placeholder.group(1) + "}");
                        }
                    }
                }
                break;
            }
        }
        return unset;
    }

    /** Binds every settings record as Spring Boot will, collecting each value that cannot be read, then validates them. */
    private static List<String> bindingProblems(ConfigurableEnvironment environment) {
        List<String> problems = new ArrayList<>();
        Binder binder = Binder.get(environment);
        try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
            Validator validator = validation.getValidator();
            for (Class<? extends Record> settings : SETTINGS) {
                String prefix = settings.getAnnotation(ConfigurationProperties.class).value();
                Object bound = binder.bindOrCreate(prefix, Bindable.of(settings), new AbstractBindHandler() {
                    @Override
                    public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error) {
                        problems.add(unreadable(name, target, context, error));
                        return null;
                    }
                });
                for (ConstraintViolation<Object> violation : validator.validate(bound)) {
                    problems.add(prefix + "." + StartupFailure.propertyKey(violation.getPropertyPath().toString()) + ": "
                            + violation.getMessage());
                }
            }
        }
        return problems;
    }

    private static String unreadable(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error) {
        Throwable reason = error;
        while (reason.getCause() != null && reason.getCause() != reason) {
            reason = reason.getCause();
        }
        boolean secret = target.getType().resolve() == Secret.class;
        ConfigurationProperty property = context.getConfigurationProperty();
        String shown = secret || property == null ? ""
                : " = '" + USER_INFO.matcher(String.valueOf(property.getValue())).replaceAll("//******@") + "'";
        return name + shown + ": " + (secret ? reason.getMessage() : "cannot be read as " + readableType(target));
    }

    private static String readableType(Bindable<?> target) {
        Class<?> type = target.getType().resolve(Object.class);
        if (type == Duration.class) {
            return "a duration (500ms, 10s, 5m)";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(constant -> ((Enum<?>) constant).name().replace('_', '-'))
                    .collect(Collectors.joining(", "));
        }
        return "a value of type " + type.getSimpleName();
    }

    /**
     * Remote partitions share the job repository (their executions, claims and the fence) between processes: the
     * default H2 file is one process's, so a manager of several partitions or a worker needs PostgreSQL.
     */
    private static String partitioningProblem(ConfigurableEnvironment environment) {
        if (!RemotePartitioning.transport(environment)) {
            return null;
        }
        String url = environment.getProperty("spring.datasource.url");
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            return null;
        }
        String key = RemotePartitioning.worker(environment) ? "audit.role=worker"
                : "audit.partitions=" + environment.getProperty("audit.partitions");
        return key + ": remote partitions need a PostgreSQL job repository the manager and its workers share "
                + "(spring.datasource.url=jdbc:postgresql://…), not " + (url == null ? "the default H2 file" : "this one");
    }

    /** A JDBC URL that no driver in the jar accepts is configuration, not a crash. */
    private static String driverProblem(ConfigurableEnvironment environment) {
        String url = environment.getProperty("spring.datasource.url");
        if (url == null) {
            return null;
        }
        String driverClass = environment.getProperty("spring.datasource.driver-class-name");
        if (driverClass != null) {
            return ClassUtils.isPresent(driverClass, ConfigurationCheck.class.getClassLoader()) ? null
                    : "spring.datasource.driver-class-name: no class " + driverClass + " in number-audit or on its loader.path";
        }
        try {
            DriverManager.getDriver(url);
            return null;
        } catch (SQLException e) {
            int scheme = url.indexOf(':', url.indexOf(':') + 1);
            return "spring.datasource.url: no JDBC driver in number-audit accepts " + (scheme > 0 ? url.substring(0, scheme + 1) : "this")
                    + " URLs";
        }
    }

    /** {@code batchSize} → {@code batch-size}. */
    static String dashed(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Spring Boot's relaxed form: case and dashes do not matter. */
    private static String uniform(String key) {
        return key.replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
