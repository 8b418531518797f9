package testsupport.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.h2.tools.Server;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fresh, isolated job repository for one test: the {@code --spring.datasource.*} arguments that
 * point a run (the jar, or {@code NumberAuditApplication.run} in-process) at it, and JDBC
 * connections for reading it back. Closing it drops what it created.
 * <ul>
 * <li>{@link #h2File}: the default H2 file under {@code <audit.output>/job-repository/}; no arguments at all</li>
 * <li>{@link #h2Server}: an H2 TCP server on loopback, started here, that several processes can share</li>
 * <li>{@link #postgres}: a schema of its own on {@link PostgresServer} ({@code ?currentSchema=}), dropped at the end</li>
 * </ul>
 */
public final class ScratchRepository implements AutoCloseable {

    private final RepositoryDatabase database;
    private final String url;
    private final String user;
    private final String password;
    private final boolean explicit;
    private final AutoCloseable cleanUp;

    private ScratchRepository(RepositoryDatabase database, String url, String user, String password, boolean explicit,
                              AutoCloseable cleanUp) {
        this.database = database;
        this.url = url;
        this.user = user;
        this.password = password;
        this.explicit = explicit;
        this.cleanUp = cleanUp;
    }

    /** The repository a run uses when given no datasource: H2's file under {@code <output>/job-repository/}. */
    public static ScratchRepository h2File(Path output) {
        String url = "jdbc:h2:file:" + output.resolve("job-repository").resolve("number-audit").toAbsolutePath().normalize()
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        // the application sets no datasource user, so H2 creates the database for the empty user name
        return new ScratchRepository(RepositoryDatabase.H2, url, "", "", false, () -> { });
    }

    /** An H2 TCP server on a free loopback port, its databases under {@code baseDir}; closing stops it. */
    public static ScratchRepository h2Server(Path baseDir) {
        try {
            Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir",
                    baseDir.toAbsolutePath().toString()).start();
            String url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/number-audit";
            return new ScratchRepository(RepositoryDatabase.H2_SERVER, url, "", "", true, server::stop);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start an H2 TCP server under " + baseDir, e);
        }
    }

    /**
     * A new, empty schema on {@link PostgresServer}, which the runs find through {@code currentSchema}; closing
     * ends the sessions still in it (a killed run's) and drops it. Skips the test when the server is unreachable
     * (or fails it, see {@link PostgresServer#required()}).
     */
    public static ScratchRepository postgres() {
        String schema = "number_audit_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = PostgresServer.connect(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema + " on " + PostgresServer.url(), e);
        }
        String base = PostgresServer.url();
        // the application name marks the runs' sessions, so close() can end those a killed run left behind
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema + "&ApplicationName=" + schema;
        return new ScratchRepository(RepositoryDatabase.POSTGRESQL, url, PostgresServer.user(), PostgresServer.password(),
                true, () -> dropSchema(schema));
    }

    public RepositoryDatabase database() {
        return database;
    }

    /** The JDBC URL the runs use (for H2's file, the default one the application derives from {@code audit.output}). */
    public String url() {
        return url;
    }

    /** What to add to a run's arguments to use this repository (nothing for the default H2 file). */
    public List<String> arguments() {
        if (!explicit) {
            return List.of();
        }
        return datasource(url, null);
    }

    /**
     * The arguments that reach this repository through a test driver that wraps another's URL, such as
     * {@code jdbc:pausing:<url>}.
     */
    public List<String> argumentsThrough(String urlPrefix, Class<? extends Driver> driver) {
        return datasource(urlPrefix + url, driver);
    }

    private List<String> datasource(String datasourceUrl, Class<? extends Driver> driver) {
        List<String> arguments = new ArrayList<>();
        arguments.add("--spring.datasource.url=" + datasourceUrl);
        if (driver != null) {
            arguments.add("--spring.datasource.driver-class-name=" + driver.getName());
        }
        if (!user.isEmpty()) {
            arguments.add("--spring.datasource.username=" + user);
        }
        if (!password.isEmpty()) {
            arguments.add("--spring.datasource.password=" + password);
        }
        return arguments;
    }

    /**
     * A connection to the repository, to read (or set up) its tables; unquoted names work on every database.
     * The H2 file must exist already: a run has made it.
     */
    public Connection connect() throws SQLException {
        if (database == RepositoryDatabase.H2) {
            return DriverManager.getConnection(url + ";IFEXISTS=TRUE", user, password);
        }
        return DriverManager.getConnection(url, user, password);
    }

    /** A data source for in-process use of the repository (several connections, as the application has). */
    public DataSource dataSource() {
        return new DriverManagerDataSource(database == RepositoryDatabase.H2 ? url + ";IFEXISTS=TRUE" : url, user, password);
    }

    @Override
    public void close() throws Exception {
        cleanUp.close();
    }

    private static void dropSchema(String schema) throws SQLException {
        try (Connection admin = PostgresServer.connect()) {
            try (PreparedStatement sessions = admin.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
                sessions.setString(1, schema);
                sessions.execute();
            }
            try (Statement sql = admin.createStatement()) {
                sql.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
