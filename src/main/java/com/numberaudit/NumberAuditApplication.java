package com.numberaudit;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

import com.numberaudit.audit.AuditRun;

/**
 * {@code java -jar number-audit.jar [--key=value ...]}. Exit codes: 0 the run completed,
 * 1 it failed and can be restarted, 2 bad configuration or unreadable input.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NumberAuditApplication {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one audit and returns the exit code; used by main and by the functional tests. */
    public static int run(String... args) {
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(NumberAuditApplication.class)
                    .web(WebApplicationType.NONE)
                    .logStartupInfo(false)
                    .listeners(new JobRepositoryLocation(), new TransportLogGuard())
                    .run(args);
        } catch (RuntimeException e) {
            StartupFailure failure = StartupFailure.of(e);
            failure.messages().forEach(message -> System.err.println("number-audit: " + message));
            return failure.exitCode();
        }
        try (context) {
            return context.getBean(AuditRun.class).execute(System.out);
        } catch (Exception e) {
            System.err.println("number-audit: FAILED: " + e.getMessage() + ". Run the same command again to resume.");
            return AuditRun.FAILED;
        }
    }
}
