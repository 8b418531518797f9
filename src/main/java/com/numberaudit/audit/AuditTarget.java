package com.numberaudit.audit;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;

import com.numberaudit.AuditProperties;

/**
 * The business date and output root of this process, resolved once at start-up: a run that
 * crosses midnight still writes everything under the date it started with.
 *
 * @param date   the business date
 * @param output the output root, absolute
 */
public record AuditTarget(LocalDate date, Path output) {

    static AuditTarget of(AuditProperties properties) {
        LocalDate date = properties.date() != null ? properties.date()
                : LocalDate.now(properties.zone() != null ? properties.zone() : ZoneId.systemDefault());
        return new AuditTarget(date, properties.output().toAbsolutePath().normalize());
    }

    /** {@code <output>/<date>/}: appears only when the run completes, all files at once. */
    public Path results() {
        return output.resolve(date.toString());
    }

    /**
     * Where an unfinished run writes, {@code <output>/.incomplete/<date>/}; renamed to {@link #results()} when it
     * completes. Hidden, so that a consumer's {@code output/*}{@code /clean.csv} never matches a half-written file.
     */
    public Path staging() {
        return output.resolve(".incomplete").resolve(date.toString());
    }
}
