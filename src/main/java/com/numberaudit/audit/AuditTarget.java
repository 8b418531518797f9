package com.numberaudit.audit;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;

import com.numberaudit.AuditConfigurationException;
import com.numberaudit.AuditProperties;

/**
 * The business date and output root of this process, resolved once at start-up: a run that
 * crosses midnight still writes everything under the date it started with.
 *
 * @param date   the business date
 * @param output the output root, absolute
 */
public record AuditTarget(LocalDate date, Path output) {

    /**
     * @throws AuditConfigurationException for a date after tomorrow: a night is audited on its date or later, and a
     *         mistyped year would otherwise leave the ledger with checks "from the future" that no real night overrides
     */
    static AuditTarget of(AuditProperties properties) {
        ZoneId zone = properties.zone() != null ? properties.zone() : ZoneId.systemDefault();
        LocalDate today = LocalDate.now(zone);
        LocalDate date = properties.date() != null ? properties.date() : today;
        if (date.isAfter(today.plusDays(1))) {
            throw new AuditConfigurationException("audit.date: " + date + " is after tomorrow (today is " + today + " in " + zone
                    + ", audit.zone); a night is audited on its date or later");
        }
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
