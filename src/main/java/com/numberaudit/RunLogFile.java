package com.numberaudit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

import com.numberaudit.partition.RemotePartitioning;
import com.numberaudit.repository.ProcessIdentity;

/**
 * The night's log file, beside the results: {@code <audit.output>/logs/number-audit-<date>.log}
 * by default ({@code audit.log-file} moves it, {@code {date}} standing for the business date, or
 * {@code none} leaves it out). Every log event of the run goes there, and every line the run prints
 * on the console (the refusals too), each with the process id; a restart or rerun of the date
 * appends to it. Opened as soon as the configuration is read, before it is checked, so a refused
 * run leaves its reasons there too; an {@code audit.log-file} that cannot be created is refused (exit 2). Rotation is the operator's (logrotate with {@code copytruncate}).
 * <p>
 * When {@code audit.log-file} is not set but Spring Boot's {@code logging.file.name} or {@code
 * logging.file.path} is, that file is the log, as Spring Boot writes it (log events only).
 */
final class RunLogFile implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, AutoCloseable {

    /** {@code audit.log-file=none}: no log file. */
    static final String NONE = "none";
    private static final String DEFAULT = "logs/number-audit-{date}.log";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r-----");
    private static final Logger log = LoggerFactory.getLogger(RunLogFile.class);

    private volatile FileAppender<ILoggingEvent> appender;
    private volatile ch.qos.logback.classic.Logger console;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext logback)) {
            return;
        }
        Path file;
        try {
            file = location(event.getEnvironment());
        } catch (RuntimeException e) {
            log.warn("No log file: {}", e.getMessage()); // an unreadable setting, which the configuration check names
            return;
        }
        if (file == null) {
            return;
        }
        try {
            Path folder = file.getParent();
            boolean newFolder = !Files.isDirectory(folder);
            Files.createDirectories(folder);
            if (POSIX && newFolder) {
                Files.setPosixFilePermissions(folder, FOLDER);
            }
            if (!Files.exists(file)) {
                Files.createFile(file);
                if (POSIX) {
                    Files.setPosixFilePermissions(file, FILE);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (event.getEnvironment().getProperty("audit.log-file") != null) {
                throw new AuditConfigurationException("audit.log-file: cannot create " + file + " (" + e + ")");
            }
            log.warn("No log file: cannot create {} ({})", file, e.toString()); // audit.output's own problem is named apart
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(logback);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level " + ProcessHandle.current().pid() + " [%thread] %logger{36}: %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> fileAppender = new FileAppender<>();
        fileAppender.setName("nightLog");
        fileAppender.setContext(logback);
        fileAppender.setFile(file.toString());
        fileAppender.setAppend(true);
        fileAppender.setEncoder(encoder);
        fileAppender.start();
        logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(fileAppender);
        console = logback.getLogger("console");
        appender = fileAppender;
    }

    /**
     * Where the log goes, or null for none: {@code audit.log-file}, else (unless Spring Boot's own file is set) the
     * default under {@code audit.output}, named after {@code audit.date} (today when it is not set, or not a date).
     */
    static Path location(ConfigurableEnvironment environment) {
        String configured = environment.getProperty("audit.log-file");
        if (configured == null && (environment.containsProperty("logging.file.name") || environment.containsProperty("logging.file.path"))) {
            return null;
        }
        if (configured != null && (configured.isBlank() || configured.strip().equalsIgnoreCase(NONE))) {
            return null;
        }
        // a worker serves partitions of any night, and several may share a host and an output folder
        String fallback = RemotePartitioning.worker(environment)
                ? "logs/number-audit-worker-" + ProcessIdentity.current().host() + "-" + ProcessIdentity.current().pid() + ".log" : DEFAULT;
        String pattern = configured != null ? configured.strip()
                : Path.of(environment.getProperty("audit.output", "output")).resolve(fallback).toString();
        return Path.of(pattern.replace("{date}", date(environment).toString())).toAbsolutePath().normalize();
    }

    private static LocalDate date(ConfigurableEnvironment environment) {
        try {
            String date = environment.getProperty("audit.date");
            if (date != null && !date.isBlank()) {
                return LocalDate.parse(date.strip());
            }
        } catch (DateTimeException | IllegalArgumentException e) {
            // refused by the configuration check, which says why; the log of that refusal is today's
        }
        try {
            String zone = environment.getProperty("audit.zone");
            return LocalDate.now(zone == null || zone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zone.strip()));
        } catch (DateTimeException | IllegalArgumentException e) {
            return LocalDate.now();
        }
    }

    /** {@link System#out}, with every line printed on it also written to the log file (once it is open). */
    PrintStream stdout() {
        return echo(System.out, Level.INFO, consoleCharset("stdout"));
    }

    /** {@link System#err}, with every line printed on it also written to the log file (once it is open). */
    PrintStream stderr() {
        return echo(System.err, Level.ERROR, consoleCharset("stderr"));
    }

    /** The console, with each line also written to the log file, as an event of the logger {@code console} at {@code level}. */
    private PrintStream echo(PrintStream terminal, Level level, Charset charset) {
        return new PrintStream(new EchoingStream(terminal, level, charset), true, charset);
    }

    /** The charset the JVM encodes a console stream with ({@code stdout.encoding} from Java 18, {@code sun.…} before). */
    private static Charset consoleCharset(String stream) {
        String name = System.getProperty(stream + ".encoding", System.getProperty("sun." + stream + ".encoding"));
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /** Stops writing the log file (the run is over). */
    @Override
    public void close() {
        FileAppender<ILoggingEvent> open = appender;
        appender = null;
        if (open != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(open);
            open.stop();
        }
    }

    /** Passes bytes to the terminal as they come, and each whole line to the log file. */
    private final class EchoingStream extends OutputStream {

        private final PrintStream terminal;
        private final Level level;
        private final Charset charset;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        EchoingStream(PrintStream terminal, Level level, Charset charset) {
            this.terminal = terminal;
            this.level = level;
            this.charset = charset;
        }

        @Override
        public void write(int b) {
            terminal.write(b);
            if (b == '\n') {
                endLine();
            } else {
                line.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            terminal.write(bytes, offset, length);
            int start = offset;
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == '\n') {
                    line.write(bytes, start, i - start);
                    endLine();
                    start = i + 1;
                }
            }
            line.write(bytes, start, offset + length - start);
        }

        @Override
        public void flush() {
            terminal.flush();
        }

        private void endLine() {
            String text = line.toString(charset).stripTrailing();
            line.reset();
            FileAppender<ILoggingEvent> open = appender;
            if (open != null && !text.isEmpty()) {
                open.doAppend(new LoggingEvent(EchoingStream.class.getName(), console, level, text, null, null));
            }
        }
    }
}
