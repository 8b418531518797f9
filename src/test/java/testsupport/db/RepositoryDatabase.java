package testsupport.db;

import java.nio.file.Path;

/**
 * The databases a job repository can live in, as a test parameter: each invocation of
 * {@code @ParameterizedTest @EnumSource(RepositoryDatabase.class)} (or {@link OnH2AndPostgreSQL})
 * is named after one, {@code [H2]} or {@code [PostgreSQL]}, and opens its own
 * {@link ScratchRepository} with {@link #scratch(Path)}.
 */
public enum RepositoryDatabase {

    /** The default: H2 in file mode under {@code <audit.output>/job-repository/}, no datasource arguments. */
    H2("H2"),
    /** H2 in server mode on a loopback TCP port started by the test, which several processes can share. */
    H2_SERVER("H2 server"),
    /** A schema of its own on the PostgreSQL server named by {@value PostgresServer#URL_KEY}; skipped when it is unreachable. */
    POSTGRESQL("PostgreSQL");

    private final String displayName;

    RepositoryDatabase(String displayName) {
        this.displayName = displayName;
    }

    /**
     * A fresh, empty job repository on this database for one test; close it at the end of the test.
     *
     * @param output the run's {@code audit.output}: H2's files go under {@code <output>/job-repository/}
     *               (PostgreSQL keeps none there)
     */
    public ScratchRepository scratch(Path output) {
        return switch (this) {
            case H2 -> ScratchRepository.h2File(output);
            case H2_SERVER -> ScratchRepository.h2Server(output.resolve("job-repository"));
            case POSTGRESQL -> ScratchRepository.postgres();
        };
    }

    @Override
    public String toString() {
        return displayName;
    }
}
