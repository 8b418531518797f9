package com.numberaudit;

import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.validation.FieldError;

import com.numberaudit.audit.AuditInputException;

/** Turns a failed start-up into one line naming the problem, and its exit code. */
record StartupFailure(int exitCode, String message) {

    static final int BAD_CONFIGURATION = 2;

    static StartupFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuditConfigurationException) {
                return new StartupFailure(BAD_CONFIGURATION, "bad configuration: " + cause.getMessage());
            }
            if (cause instanceof AuditInputException) {
                return new StartupFailure(BAD_CONFIGURATION, "unreadable input: " + cause.getMessage());
            }
            if (cause instanceof BindValidationException invalid) {
                String errors = invalid.getValidationErrors().getAllErrors().stream()
                        .map(error -> (error instanceof FieldError field ? invalid.getValidationErrors().getName() + "." + field.getField() : error.getObjectName())
                                + ": " + error.getDefaultMessage())
                        .collect(Collectors.joining("; "));
                return new StartupFailure(BAD_CONFIGURATION, "bad configuration: " + errors);
            }
            if (cause instanceof BindException bind) {
                Throwable reason = bind.getCause() != null ? rootOf(bind.getCause()) : bind;
                return new StartupFailure(BAD_CONFIGURATION, "bad configuration: " + bind.getName()
                        + (bind.getProperty() != null ? " = '" + bind.getProperty().getValue() + "'" : "")
                        + ": " + reason.getMessage());
            }
        }
        return new StartupFailure(1, "failed to start: " + rootOf(failure).getMessage());
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
