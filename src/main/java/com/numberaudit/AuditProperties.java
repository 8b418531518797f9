package com.numberaudit;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.numberaudit.platform.PlatformSettings;

/**
 * Everything an operator sets under {@code audit.*} (application.yml, environment, command line),
 * validated at start-up: a bad value stops the run with exit code 2 and names the key.
 *
 * @param input     a directory of {@code *.csv} files, or one file
 * @param output    root of the result folders ({@code <output>/<date>/})
 * @param date      the business date; today in {@code zone} when not set
 * @param zone      the time zone that decides "today" (the system's when not set)
 * @param rerun     audit a date again although it already completed (or abandon its interrupted run), replacing its
 *                  results whole
 * @param chunkSize rows per committed chunk (a restart resumes after the last one)
 * @param inFlight  rows read ahead of the writer, whose checks are already under way
 * @param runLease  how long a run of a date may go unheard (no renewal of its lease in the job repository) before
 *                  another process may take the date over; the holder renews it every sixth of this
 * @param reaudit   check again, after tonight's input, every number the ledger holds from earlier nights (BOUND,
 *                  UNDETERMINED, PENDING) until it is clean
 * @param escalateAfter a number held longer than this (whole days) is listed in the night's escalations.csv
 * @param retention the ledger's trail of a night is deleted once the night is older than this (whole days)
 * @param progressInterval how often the audit step logs its progress (rows done of the total, rate, ETA), after a
 *                  first line a second after it starts
 * @param logFile   the night's log file ({@code {date}} is the business date); not set: {@code
 *                  <output>/logs/number-audit-<date>.log}; {@code none}: no log file (see {@link com.numberaudit.RunLogFile})
 * @param deadline  how long after the run's first start (a resumed run keeps it) numbers refused by a platform's
 *                  open circuit ({@code CIRCUIT_OPEN}) may be held back and asked again once it half-opens; only
 *                  after it do they end undetermined. 0 (the default): they end undetermined at once
 * @param dryRun    check the configuration, the credentials' presence and the input, and print what each platform
 *                  would be asked, asking none and writing nothing
 * @param partitions how many partitions the audit step runs as: 1 (the default) is the single node; more splits the
 *                  night's rows into that many contiguous ranges, each run as a partition of its own (remote
 *                  partitioning, docs/scale-out-design.md), whose results are merged into the same files
 * @param platforms the platforms to ask, by id
 * @param role      {@code manager} (the default) runs the night; {@code worker} serves its partitions from the queue until
 *                  SIGTERM (docs/scale-out-design.md §7)
 * @param partitionQueue the RabbitMQ queue a manager sends its partitions to and workers take them from
 * @param workerLease a claimed partition whose worker is unheard this long fails (a kill -9 on the manager's host is
 *                  seen at the next poll); the worker renews its claim every sixth of it
 * @param workerWait unclaimed partitions waiting this long with no worker at work fail the night
 * @param partitionPoll how often the manager reads the job repository and the partitions' claims
 */
@Validated
@ConfigurationProperties("audit")
public record AuditProperties(
        @DefaultValue("input") @NotNull Path input,
        @DefaultValue("output") @NotNull Path output,
        LocalDate date,
        ZoneId zone,
        @DefaultValue("false") boolean rerun,
        @DefaultValue("5000") @Min(1) @Max(100_000) int chunkSize,
        @DefaultValue("20000") @Min(1) @Max(1_000_000) int inFlight,
        @DefaultValue("60s") @NotNull @DurationMin(seconds = 2) Duration runLease,
        @DefaultValue("true") boolean reaudit,
        @DefaultValue("90d") @NotNull @DurationMin(days = 1) Duration escalateAfter,
        @DefaultValue("400d") @NotNull @DurationMin(days = 1) Duration retention,
        @DefaultValue("10s") @NotNull @DurationMin(seconds = 1) Duration progressInterval,
        String logFile,
        @DefaultValue("0s") @NotNull @DurationMin(seconds = 0) Duration deadline,
        @DefaultValue("false") boolean dryRun,
        @DefaultValue("1") @Min(1) @Max(256) int partitions,
        Map<String, @Valid PlatformSettings> platforms,
        @DefaultValue("manager") @NotNull Role role,
        @DefaultValue("number-audit.partitions") @NotBlank String partitionQueue,
        @DefaultValue("30s") @NotNull @DurationMin(seconds = 2) Duration workerLease,
        @DefaultValue("5m") @NotNull @DurationMin(seconds = 1) Duration workerWait,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 100) Duration partitionPoll) {

    /** What a number-audit process does: run a night, or serve a manager's partitions. */
    public enum Role {
        MANAGER, WORKER
    }
}
