package com.numberaudit;

import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

import com.numberaudit.audit.AuditRun;

/**
 * {@code java -jar number-audit.jar [--key=value ...]}. Exit codes: 0 the run completed, 1 it
 * failed or was stopped (or its job repository could not be reached) and the same command resumes
 * it, 2 refused (configuration, input, a job repository that refuses the connection, or a run
 * identity that differs from the date's earlier run).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NumberAuditApplication {

    static final String USAGE = """
            Usage: java -jar number-audit.jar [--key=value ...]

            Audits the numbers pending release against every enabled platform's Binding Check API and
            writes <audit.output>/<audit.date>/ when the run completes: clean.csv (safe to sell),
            bound.csv, undetermined.csv (held back), rejected.csv and summary.json.

            Keys (all of them in README.md; also from application.yml or AUDIT_* environment variables):
              --audit.input=PATH                    a folder of *.csv files, or one file (default: input)
              --audit.output=PATH                   root of the results (default: output)
              --audit.date=YYYY-MM-DD               the business date (default: today in audit.zone)
              --audit.zone=ZONE                     time zone that decides "today" (default: the system's)
              --audit.rerun=true                    audit a date again; its results replace the earlier ones whole
              --audit.platforms.<id>.url=URL        a platform's Binding Check API base URL
              --audit.platforms.<id>.enabled=false  leave a platform out of the run
              --audit.simulator.enabled=false       never answer from the built-in demo simulator

            Exit codes:
              0  completed, or the date already completed with the same identity
              1  failed or stopped (SIGTERM, SIGINT), or the job repository is unreachable; run the same command again
              2  refused: bad configuration (also a job repository that refuses the connection), unreadable input,
                 a set-up other than the date's earlier run, or the date is being audited by another live process
            """;

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
        if (arguments.contains("--version")) {
            String version = NumberAuditApplication.class.getPackage().getImplementationVersion();
            System.out.println("number-audit " + (version == null ? "(development build)" : version));
            return AuditRun.COMPLETED;
        }
        ConfigurableApplicationContext context;
        JobRepositoryLocation repository = new JobRepositoryLocation();
        try {
            context = new SpringApplicationBuilder(NumberAuditApplication.class)
                    .web(WebApplicationType.NONE)
                    .logStartupInfo(false)
                    .listeners(new ConfigurationCheck(), repository, new TransportLogGuard())
                    .run(args);
        } catch (RuntimeException e) {
            StartupFailure failure = StartupFailure.of(e, repository.url());
            failure.messages().forEach(message -> System.err.println("number-audit: " + message));
            return failure.exitCode();
        }
        try (context) {
            return context.getBean(AuditRun.class).execute(System.out, System.err);
        } catch (Exception e) {
            System.err.println("number-audit: FAILED: " + e.getMessage() + ". Run the same command again to resume.");
            return AuditRun.FAILED;
        }
    }
}
