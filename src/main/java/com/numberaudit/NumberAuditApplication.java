package com.numberaudit;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.numberaudit.audit.AuditRun;
import com.numberaudit.audit.DryRun;
import com.numberaudit.ledger.NumberHistory;
import com.numberaudit.number.MobileNumberParser;
import com.numberaudit.number.NumberCheck;
import com.numberaudit.partition.PartitionWorker;

/**
 * {@code java -jar number-audit.jar [--key=value ...]}. Exit codes: 0 the run completed, 3 it
 * completed but a platform was down or its circuit open (its numbers held: someone should look),
 * 1 it failed or was stopped (or its job repository could not be reached) and the same command
 * resumes it, 2 refused (configuration, input, a job repository that refuses the connection, or a
 * run identity that differs from the date's earlier run).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NumberAuditApplication {

    static final String USAGE = """
            Usage: java -jar number-audit.jar [--key=value ...]
                   java -jar number-audit.jar history NUMBER [--audit.output=PATH | --spring.datasource.url=URL]

            Audits the numbers pending release against every enabled platform's Binding Check API and
            writes <audit.output>/<audit.date>/ when the run completes: clean.csv (safe to sell),
            bound.csv, undetermined.csv (held back), rejected.csv, summary.json, report.html (for a person),
            metrics.prom (Prometheus text), and notices/<platform>.csv: the ids still bound on each platform, to send it.

            Keys (all of them in README.md; also from application.yml or AUDIT_* environment variables):
              --audit.input=PATH                    a folder of *.csv files, or one file (default: input)
              --audit.output=PATH                   root of the results (default: output)
              --audit.date=YYYY-MM-DD               the business date (default: today in audit.zone)
              --audit.zone=ZONE                     time zone that decides "today" (default: the system's)
              --audit.rerun=true                    audit a date again; its results replace the earlier ones whole
              --audit.platforms.<id>.url=URL        a platform's Binding Check API base URL
              --audit.platforms.<id>.enabled=false  leave a platform out of the run
              --audit.simulator.enabled=false       never answer from the built-in demo simulator
              --audit.reaudit=false                 check the input only, not the numbers the ledger holds from earlier nights
              --audit.progress-interval=DURATION    how often the progress line is logged (default: 10s)
              --audit.log-file=PATH|none            the night's log file (default: <audit.output>/logs/number-audit-<date>.log)
              --audit.role=worker                   serve a partitioned run's partitions from RabbitMQ until SIGTERM (no input,
                                                    no date; the manager's PostgreSQL, platforms and secrets)
              --audit.dry-run=true                  check the configuration, the credentials and the input, and print what
                                                    each platform would be asked; asks none, writes no result (exit 0 or 2)

            history NUMBER prints what the audit ledger holds of a number: every night it was checked, each
            platform's answer or reason and the x-correlator of the request (the numbers' and the runs' own
            job repository: the same --audit.output or --spring.datasource.url as the runs).

            Exit codes:
              0  completed, and every platform answered (also a run of a date already completed so: nothing done)
              3  completed, but a platform was down or its circuit open (credentials refused, no TLS handshake,
                 an untrusted export, no usable answer all night): its numbers are held, each such platform is
                 named; someone should look. Alert; do not retry (a run of the date says so again)
              1  failed or stopped (SIGTERM, SIGINT), or the job repository is unreachable; run the same command again:
                 it resumes
              2  refused: bad configuration (also a job repository that refuses the connection), unreadable input,
                 a set-up other than the date's earlier run, or the date is being audited by another live process;
                 nothing was processed. Fix it; do not retry blindly
            """;

    /** The command that prints a number's history in the audit ledger. */
    static final String HISTORY = "history";

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one audit and returns the exit code; used by main and by the functional tests. */
    public static int run(String... args) {
        List<String> arguments = List.of(args);
        if (arguments.contains("--help") || arguments.contains("-h")) {
            System.out.print(USAGE);
            return AuditRun.COMPLETED;
        }
        if (!arguments.isEmpty() && arguments.get(0).equals(HISTORY)) {
            return history(args);
        }
        if (arguments.contains("--version")) {
            String version = NumberAuditApplication.class.getPackage().getImplementationVersion();
            System.out.println("number-audit " + (version == null ? "(development build)" : version));
            return AuditRun.COMPLETED;
        }
        try (RunLogFile logFile = new RunLogFile()) {
            return run(logFile, logFile.stdout(), logFile.stderr(), args);
        }
    }

    /** One audit (or dry run), its console lines on {@code out} and {@code err}, which also go to the night's log file. */
    private static int run(RunLogFile logFile, PrintStream out, PrintStream err, String... args) {
        ConfigurableApplicationContext context;
        JobRepositoryLocation repository = new JobRepositoryLocation();
        try {
            context = new SpringApplicationBuilder(NumberAuditApplication.class)
                    .web(WebApplicationType.NONE)
                    .logStartupInfo(false)
                    .listeners(logFile, new ConfigurationCheck(), repository, new TransportLogGuard())
                    .run(args);
        } catch (RuntimeException e) {
            StartupFailure failure = StartupFailure.of(e, repository.url());
            failure.messages().forEach(message -> err.println("number-audit: " + message));
            return failure.exitCode();
        }
        try (context) {
            if (context.getBean(AuditProperties.class).role() == AuditProperties.Role.WORKER) {
                return context.getBean(PartitionWorker.class).serve(out);
            }
            if (context.getBean(AuditProperties.class).dryRun()) {
                return context.getBean(DryRun.class).print(out);
            }
            return context.getBean(AuditRun.class).execute(out, err);
        } catch (Exception e) {
            err.println("number-audit: FAILED: " + e.getMessage() + ". Run the same command again to resume.");
            return AuditRun.FAILED;
        }
    }

    /**
     * {@code history NUMBER [--key=value ...]}: the number's history in the audit ledger, on stdout. Only the job
     * repository is opened (never created, never migrated): no input is read, no platform asked.
     *
     * @return 0 printed (also "the ledger knows nothing of it"), 2 refused (no number, not a mobile number, no repository)
     */
    private static int history(String... args) {
        List<String> values = Arrays.stream(args).skip(1).filter(arg -> !arg.startsWith("--")).toList();
        if (values.size() != 1) {
            System.err.println("number-audit: usage: java -jar number-audit.jar history NUMBER [--audit.output=PATH | --spring.datasource.url=URL]");
            return AuditRun.REFUSED;
        }
        if (!(new MobileNumberParser().parse(values.get(0)) instanceof NumberCheck.Valid valid)) {
            System.err.println("number-audit: history: not a Chinese mobile number: " + values.get(0));
            return AuditRun.REFUSED;
        }
        JobRepositoryLocation repository = new JobRepositoryLocation(true);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(NumberHistory.Context.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .listeners(new ConfigurationCheck(), repository)
                .run(args)) {
            new NumberHistory(context.getBean(JdbcClient.class)).print(valid.number(), System.out);
            return AuditRun.COMPLETED;
        } catch (BadSqlGrammarException e) {
            System.err.println("number-audit: history: this job repository has no audit ledger yet (no run of this version used it)");
            return AuditRun.REFUSED;
        } catch (RuntimeException e) {
            StartupFailure failure = StartupFailure.of(e, repository.url());
            failure.messages().forEach(message -> System.err.println("number-audit: history: " + message));
            return failure.exitCode();
        }
    }
}
