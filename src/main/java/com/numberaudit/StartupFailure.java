package com.numberaudit;

import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.validation.FieldError;

import com.numberaudit.audit.AuditInputException;

/** Turns a failed start-up into lines naming the problems (one line each), and its exit code. */
record StartupFailure(int exitCode, List<String> messages) {

    static final int FAILED = 1;
    static final int BAD_CONFIGURATION = 2;
    /** H2's ErrorCode.DATABASE_ALREADY_OPEN_1: its file is locked by another process. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    /** H2's ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1: a command that only reads found no repository. */
    private static final int H2_DATABASE_NOT_FOUND = 90146;
    /** Keys whose values are credentials: never echoed, not even when they fail to bind. */
    private static final Pattern SECRET_KEY = Pattern.compile("(token|secret|key|password)", Pattern.CASE_INSENSITIVE);
    /**
     * SQL states of a database that cannot be reached for now (connection exceptions, too many connections, a
     * server starting up or shutting down; H2's broken connection to its TCP server): the same command, run later,
     * can succeed.
     */
    private static final Pattern UNREACHABLE = Pattern.compile("08...|53...|57P0[1-3]|90067");
    /**
     * SQL states of a database that refuses what was configured (a wrong user or password, none given where one is
     * required, no such database or schema, missing rights): running again changes nothing until the configuration does.
     */
    private static final Pattern REFUSING = Pattern.compile("08004|28...|3D000|3F000|42501");
    /** A password in a JDBC URL: PostgreSQL's {@code ?password=}, H2's {@code ;PASSWORD=}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    /**
     * @param repositoryUrl the job repository's JDBC URL, when known: a start that fails to reach it names it (without
     *                      its password)
     */
    static StartupFailure of(Throwable failure, String repositoryUrl) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                StartupFailure repository = ofRepository(sql, repositoryUrl);
                if (repository != null) {
                    return repository;
                }
            }
            if (cause instanceof AuditConfigurationException configuration) {
                return new StartupFailure(BAD_CONFIGURATION,
                        configuration.problems().stream().map(problem -> "bad configuration: " + problem).toList());
            }
            if (cause instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return new StartupFailure(BAD_CONFIGURATION, List.of(
                        "refused: the job repository is open in another process (" + rootOf(sql).getMessage() + ")",
                        "An H2 file repository admits one process: another number-audit is running on this audit.output. Run this command "
                                + "again once it has ended; to run several processes on one repository, use PostgreSQL (README: Production)."));
            }
            if (cause instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_NOT_FOUND) {
                return new StartupFailure(BAD_CONFIGURATION, "refused: no job repository here (" + rootOf(sql).getMessage()
                        + "): nothing was audited with this audit.output; give the run's --audit.output or --spring.datasource.url");
            }
            if (cause instanceof AuditInputException) {
                return new StartupFailure(BAD_CONFIGURATION, "unreadable input: " + cause.getMessage());
            }
            if (cause instanceof BindValidationException invalid) {
                String errors = invalid.getValidationErrors().getAllErrors().stream()
                        .map(error -> (error instanceof FieldError field
                                ? propertyKey(invalid.getValidationErrors().getName() + "." + field.getField())
                                : error.getObjectName()) + ": " + error.getDefaultMessage())
                        .collect(Collectors.joining("; "));
                return new StartupFailure(BAD_CONFIGURATION, "bad configuration: " + errors);
            }
            if (cause instanceof BindException bind && !(bind.getCause() instanceof BindValidationException)) {
                Throwable reason = bind.getCause() != null ? rootOf(bind.getCause()) : bind;
                boolean showValue = bind.getProperty() != null && !SECRET_KEY.matcher(bind.getName().toString()).find();
                return new StartupFailure(BAD_CONFIGURATION, "bad configuration: " + bind.getName()
                        + (showValue ? " = '" + bind.getProperty().getValue() + "'" : "")
                        + ": " + (showValue ? reason.getMessage() : "not a valid value"));
            }
        }
        return new StartupFailure(FAILED, "failed to start: " + rootOf(failure).getMessage());
    }

    /** A job repository that cannot be reached (exit 1: run again later) or refuses the connection (exit 2); else null. */
    private static StartupFailure ofRepository(SQLException failure, String repositoryUrl) {
        String url = "spring.datasource.url=" + (repositoryUrl == null ? "(unknown)" : withoutPassword(repositoryUrl));
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage().lines().findFirst().orElse("");
        Throwable root = rootOf(failure);
        if (root != failure && root.getMessage() != null && !reason.contains(root.getMessage())) {
            reason += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        if (REFUSING.matcher(failure.getSQLState()).matches()) {
            return new StartupFailure(BAD_CONFIGURATION, "bad configuration: " + url + ": the job repository refused: " + reason);
        }
        if (UNREACHABLE.matcher(failure.getSQLState()).matches()) {
            return new StartupFailure(FAILED, "job repository unreachable: " + url + ": " + reason.replaceFirst("\\.$", "")
                    + ". Nothing was processed; run the same command again once it is reachable.");
        }
        return null;
    }

    /** A JDBC URL as it may be shown: any password in it masked. */
    private static String withoutPassword(String url) {
        return URL_PASSWORD.matcher(url).replaceAll("$1******");
    }

    private StartupFailure(int exitCode, String message) {
        this(exitCode, List.of(message));
    }

    /** {@code audit.platforms[wechat].batchSize} as an operator writes it: {@code audit.platforms.wechat.batch-size}. */
    static String propertyKey(String path) {
        return ConfigurationCheck.dashed(path.replaceAll("\\[([^]]+)]", ".$1"));
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
