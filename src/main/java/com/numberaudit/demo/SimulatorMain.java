package com.numberaudit.demo;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The Binding Check API simulator as a process of its own, for benchmarks and demos: no Spring
 * context, serves every platform id at {@code /platforms/<id>/binding-checks} (and {@code GET /stats})
 * until killed.
 *
 * <pre>
 * java -cp target/number-audit.jar -Dloader.main=com.numberaudit.demo.SimulatorMain \
 *      org.springframework.boot.loader.launch.PropertiesLauncher \
 *      --port=0 [--bindings=bindings.csv] [--delay=200ms] [--rate-limit=10] [--max-batch=500] [--retry-after=1s]
 * </pre>
 *
 * Prints {@code LISTENING <port>} on stdout once it accepts requests. Every other option is a key
 * of {@link SimulatedFaults} ({@code --error-status=503 --error-rate=0.1}, …), applied to every platform.
 * Exit code 2 on a bad option.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = 0;
        String bindingsFile = null;
        Map<String, String> faultProperties = new HashMap<>();
        Set<String> faultKeys = faultKeys();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                usage("not --key=value: " + arg, faultKeys);
            }
            String key = arg.substring(2, equals);
            String value = arg.substring(equals + 1);
            if (key.equals("port")) {
                port = parsePort(value, faultKeys);
            } else if (key.equals("bindings")) {
                bindingsFile = value;
            } else if (faultKeys.contains(key)) {
                faultProperties.put("faults." + key, value);
            } else {
                usage("unknown option --" + key, faultKeys);
            }
        }
        SimulatedFaults faults;
        try {
            faults = new Binder(new MapConfigurationPropertySource(faultProperties)).bindOrCreate("faults", SimulatedFaults.class);
        } catch (RuntimeException e) {
            usage("bad fault option: " + rootMessage(e), faultKeys);
            return;
        }
        DemoBindings bindings = DemoBindings.empty();
        if (bindingsFile != null) {
            try (InputStream in = Files.newInputStream(Path.of(bindingsFile))) {
                bindings = DemoBindings.read(in, bindingsFile);
            }
        }
        BindingCheckSimulator simulator = BindingCheckSimulator.start(port, bindings, platformId -> faults);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "simulator-shutdown"));
        System.out.println("LISTENING " + simulator.baseUrl("any").getPort());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** The kebab-case keys of {@link SimulatedFaults}, as Spring Boot binds them. */
    private static Set<String> faultKeys() {
        Set<String> keys = new TreeSet<>();
        for (RecordComponent component : SimulatedFaults.class.getRecordComponents()) {
            keys.add(component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase());
        }
        return keys;
    }

    private static int parsePort(String value, Set<String> faultKeys) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // falls through to usage
        }
        usage("--port must be 0..65535, not " + value, faultKeys);
        return -1;
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return e.getMessage() + (cause != e ? " (" + cause.getMessage() + ")" : "");
    }

    private static void usage(String problem, Set<String> faultKeys) {
        System.err.println("SimulatorMain: " + problem);
        System.err.println("usage: --port=N (0: any) [--bindings=file.csv] [--<fault>=value ...], faults: "
                + Arrays.toString(faultKeys.toArray()));
        System.exit(2);
    }
}
