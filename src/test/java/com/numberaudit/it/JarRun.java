package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import testsupport.jdbc.PausingDriver;

/**
 * One run of the real, packaged {@code target/number-audit.jar} in a child JVM: its working
 * directory is the test's folder, stdout and stderr go to files there, and every wait is bounded
 * (a run that outlives its timeout is killed and the test fails). Closing it kills a child that
 * is still running, so a failed assertion never leaves a JVM behind.
 */
final class JarRun implements AutoCloseable {

    /** The project folder: failsafe sets {@code basedir} (and runs the tests there). */
    static final Path PROJECT = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();

    /** Built by {@code mvn package}, which runs before failsafe's integration tests; {@code -Dnumberaudit.jar} runs another one. */
    static final Path JAR = Path.of(System.getProperty("numberaudit.jar", PROJECT.resolve("target").resolve("number-audit.jar").toString()));

    /** Small heap and C1 only: the runs are short, and other builds share the two cores. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Dfile.encoding=UTF-8");

    /** How long one complete run may take on a busy 2-core machine before it counts as hung. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JarRun(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code java -jar number-audit.jar args...} in {@code workDir}.
     *
     * @param name names the run in failure messages and its {@code <name>.out} / {@code <name>.err} files
     */
    static JarRun start(Path workDir, String name, List<String> args) {
        return start(workDir, name, Map.of(), args);
    }

    /** @param environment variables set for this run only (after the environment's audit and Spring settings are removed) */
    static JarRun start(Path workDir, String name, Map<String, String> environment, List<String> args) {
        assertThat(JAR).as("the packaged jar (run `mvn verify`, which packages first)").isRegularFile();
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(args);
        return launch(workDir, name, command, environment);
    }

    static JarRun start(Path workDir, String name, String... args) {
        return start(workDir, name, Arrays.asList(args));
    }

    /** Runs the jar to its end (at most {@link #DEFAULT_TIMEOUT}). */
    static Result run(Path workDir, String name, List<String> args) {
        try (JarRun run = start(workDir, name, args)) {
            return run.await(DEFAULT_TIMEOUT);
        }
    }

    static Result run(Path workDir, String name, String... args) {
        return run(workDir, name, Arrays.asList(args));
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the run to end; a run still going after {@code timeout} is killed and fails the test. */
    Result await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                fail("%s did not finish within %s; killed it.%n%s", name, timeout, output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        return new Result(name, process.exitValue(), read(stdout), read(stderr));
    }

    /**
     * {@code kill -9}: {@link Process#destroyForcibly()} sends SIGKILL on Linux, so the child gets no
     * chance to run shutdown hooks, close files or roll anything back.
     *
     * @return what the child left behind, with the exit code the OS reported (137 for SIGKILL)
     */
    Result kill9() {
        process.destroyForcibly();
        return await(Duration.ofSeconds(30));
    }

    /** {@code kill -TERM} (what systemd and Kubernetes send): {@link Process#destroy()} sends SIGTERM on Linux. */
    Result terminate(Duration timeout) {
        process.destroy();
        return await(timeout);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String output() {
        return "--- stdout of " + name + " ---\n" + tail(read(stdout)) + "--- stderr of " + name + " ---\n" + tail(read(stderr));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
    }

    /** What a finished run left: its exit code and everything it printed. */
    record Result(String name, int exitCode, String stdout, String stderr) {

        private static final Pattern SERVED = Pattern.compile("Binding Check API simulator served requests: (.*)");

        /** The non-blank lines of stderr. */
        List<String> stderrLines() {
            return stderr.lines().filter(line -> !line.isBlank()).toList();
        }

        /** Requests per platform, from the line the demo simulator logs when it stops (POSTs and ticket polls). */
        Map<String, Integer> servedRequests() {
            Matcher line = SERVED.matcher(stdout);
            assertThat(line.find()).as("the simulator's count of requests\n%s", describe()).isTrue();
            return Arrays.stream(line.group(1).trim().split(" "))
                    .map(entry -> entry.split("="))
                    .collect(Collectors.toMap(entry -> entry[0], entry -> Integer.parseInt(entry[1]), (a, b) -> a, TreeMap::new));
        }

        /** For assertion messages: the whole output, so a failing run explains itself. */
        String describe() {
            return name + " exited " + exitCode + "\n--- stdout ---\n" + tail(stdout) + "--- stderr ---\n" + tail(stderr);
        }
    }

    /** The job repository a run uses when no datasource is given (see JobRepositoryLocation). */
    static String defaultRepositoryUrl(Path output) {
        return "jdbc:h2:file:" + output.resolve("job-repository").resolve("number-audit").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    /**
     * A folder under {@code dir} holding only the test JDBC drivers' compiled classes (their package), copied from the
     * test classes: the {@code loader.path} of {@link #startWithLoaderPath}.
     */
    static Path testDrivers(Path dir) throws IOException {
        Path testClasses;
        try {
            testClasses = Path.of(PausingDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the test classes", e);
        }
        String folder = PausingDriver.class.getPackageName().replace('.', '/');
        Path loaderPath = dir.resolve("loader-path");
        Path target = Files.createDirectories(loaderPath.resolve(folder));
        try (DirectoryStream<Path> classes = Files.newDirectoryStream(testClasses.resolve(folder), "*.class")) {
            for (Path file : classes) {
                Files.copy(file, target.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return loaderPath;
    }

    /** Spring Boot's launcher that honours {@code loader.path}. */
    private static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    /**
     * Starts the packaged application like {@link #start(Path, String, List)}, but through Spring
     * Boot's {@code PropertiesLauncher} with the classes under {@code loaderPath} on its class path
     * ({@code -Dloader.path}) and {@code systemProperties} ({@code key=value}, each passed as
     * {@code -Dkey=value}): how a test puts a test-only class, such as a JDBC driver, under the real jar.
     */
    static JarRun startWithLoaderPath(Path workDir, String name, Path loaderPath, List<String> systemProperties,
                                      List<String> args) {
        assertThat(JAR).as("the packaged jar (run `mvn verify`, which packages first)").isRegularFile();
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(JAR.toString());
        command.add("-Dloader.path=" + loaderPath.toAbsolutePath());
        command.add("-Dloader.main=com.numberaudit.NumberAuditApplication");
        systemProperties.forEach(property -> command.add("-D" + property));
        command.add(PROPERTIES_LAUNCHER);
        command.addAll(args);
        return launch(workDir, name, command, Map.of());
    }

    /** As {@link #start(Path, String, List)} starts its command: output to files, nothing configured from the environment. */
    private static JarRun launch(Path workDir, String name, List<String> command, Map<String, String> environment) {
        Path out = workDir.resolve(name + ".out");
        Path err = workDir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // Only the arguments configure the run: no audit/Spring settings or JVM notices leak in from the environment.
        builder.environment().keySet().removeIf(key -> key.startsWith("AUDIT_") || key.startsWith("SPRING_")
                || key.equals("JAVA_TOOL_OPTIONS") || key.equals("_JAVA_OPTIONS") || key.equals("JDK_JAVA_OPTIONS"));
        builder.environment().putAll(environment);
        try {
            return new JarRun(name, builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * Waits until the run prints a line containing {@code text} on stdout, and returns that line.
     * Fails the test if the run ends first or the line has not come within {@code timeout} (the run
     * is then killed).
     */
    String awaitLine(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean ended = !process.isAlive();
            Optional<String> line = read(stdout).lines().filter(candidate -> candidate.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (ended) {
                return fail("%s ended before printing \"%s\".%n%s", name, text, output());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        close();
        return fail("%s did not print \"%s\" within %s; killed it.%n%s", name, text, timeout, output());
    }
}
