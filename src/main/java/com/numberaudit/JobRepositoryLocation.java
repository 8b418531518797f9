package com.numberaudit;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts the default job repository, an H2 database in file mode, under
 * {@code <audit.output>/job-repository/}, so it survives the process and a failed or killed run
 * can resume. An explicit {@code spring.datasource.url} (PostgreSQL, say) wins.
 * <p>
 * {@code WRITE_DELAY=0}: H2 otherwise keeps commits in memory for up to 500 ms before writing
 * them to the file, so a {@code kill -9} forgot the last chunks committed before it and the next
 * run resumed from an older chunk than the last committed one (asking the platforms again for
 * rows already written, which the result files then cut back).
 */
final class JobRepositoryLocation implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private final boolean mustExist;
    private volatile String url;

    JobRepositoryLocation() {
        this(false);
    }

    /** @param mustExist a command that only reads the repository (history) must not create an empty one */
    JobRepositoryLocation(boolean mustExist) {
        this.mustExist = mustExist;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        url = environment.getProperty("spring.datasource.url");
        if (url != null) {
            return;
        }
        Path output = Path.of(environment.getProperty("audit.output", "output")).toAbsolutePath().normalize();
        url = "jdbc:h2:file:" + output.resolve("job-repository").resolve("number-audit") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
                + (mustExist ? ";IFEXISTS=TRUE" : "");
        environment.getPropertySources().addLast(new MapPropertySource("numberAuditJobRepository",
                Map.of("spring.datasource.url", url)));
    }

    /** The job repository's JDBC URL, once the environment is prepared (null before): for the message of a failed start. */
    String url() {
        return url;
    }
}
