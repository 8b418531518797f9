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

    static final int BAD_CONFIGURATION = 2;
    /** H2's ErrorCode.DATABASE_ALREADY_OPEN_1: its file is locked by another process. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    /** Keys whose values are credentials: never echoed, not even when they fail to bind. */
    private static final Pattern SECRET_KEY = Pattern.compile("(token|secret|key|password)", Pattern.CASE_INSENSITIVE);

    static StartupFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
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
        return new StartupFailure(1, "failed to start: " + rootOf(failure).getMessage());
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
