package testsupport.jdbc;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * A JDBC driver for tests that kill a run at an exact point of a chunk's commit. With the URL
 * {@code jdbc:pausing:<an H2 or PostgreSQL url>} it hands out that database's connections, and at
 * the N-th commit of a chunk transaction it prints a marker line to stdout and blocks for ever,
 * either before the database's commit (Spring has flushed the step's files in {@code beforeCommit};
 * the database has not got the chunk) or after it (the database has the chunk; nothing of the next
 * chunk is written).
 * <p>
 * A chunk transaction is one that updated both the step execution context and the step
 * execution: Spring Batch's chunk-oriented step does both in each chunk's transaction, and no
 * other transaction of a step does (its start and end update them in separate transactions).
 * <p>
 * System properties of the JVM that loads it (for instance through Spring Boot's
 * {@code loader.path}):
 * <ul>
 * <li>{@value #CHUNK}: N, counted from 1 over the process's chunk transactions; without it nothing pauses</li>
 * <li>{@value #MOMENT}: {@code before-commit} (the default) or {@code after-commit}</li>
 * </ul>
 * The marker is {@code PausingDriver: paused <moment> of chunk <N>}.
 */
public final class PausingDriver extends WrappingDriver {

    public static final String CHUNK = "pausing.chunk";
    public static final String MOMENT = "pausing.moment";
    public static final String BEFORE_COMMIT = "before-commit";
    public static final String AFTER_COMMIT = "after-commit";
    /** What the driver prints when it pauses; the chunk number follows. */
    public static final String MARKER = "PausingDriver: paused ";

    private static final Pattern CONTEXT_UPDATE = Pattern.compile("\\s*UPDATE\\s+BATCH_STEP_EXECUTION_CONTEXT\\s.*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern STEP_UPDATE = Pattern.compile("\\s*UPDATE\\s+BATCH_STEP_EXECUTION\\s.*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final AtomicInteger CHUNK_COMMITS = new AtomicInteger();

    public PausingDriver() {
        super("jdbc:pausing:");
    }

    static {
        try {
            Class.forName("org.h2.Driver");
            Class.forName("org.postgresql.Driver");
            DriverManager.registerDriver(new PausingDriver());
        } catch (ClassNotFoundException | SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        String moment = System.getProperty(MOMENT, BEFORE_COMMIT);
        if (!moment.equals(BEFORE_COMMIT) && !moment.equals(AFTER_COMMIT)) {
            throw new SQLException(MOMENT + " must be " + BEFORE_COMMIT + " or " + AFTER_COMMIT + ", not " + moment);
        }
        String pauseAt = System.getProperty(CHUNK);
        int chunk = pauseAt == null ? 0 : Integer.parseInt(pauseAt);
        String target = wrapped(url);
        Connection database = DriverManager.getDriver(target).connect(target, info);
        return (Connection) Proxy.newProxyInstance(PausingDriver.class.getClassLoader(), new Class<?>[] {Connection.class},
                new PausingConnection(database, chunk, moment.equals(BEFORE_COMMIT)));
    }

    /** Watches what a connection's transaction updates, and pauses its commit when it is the chosen chunk. */
    private static final class PausingConnection implements InvocationHandler {

        private final Connection database;
        private final int pauseAt;
        private final boolean beforeCommit;
        private boolean contextUpdated;
        private boolean stepUpdated;

        PausingConnection(Connection database, int pauseAt, boolean beforeCommit) {
            this.database = database;
            this.pauseAt = pauseAt;
            this.beforeCommit = beforeCommit;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            // Spring Batch's DAOs prepare every statement they run
            if (name.startsWith("prepare") && args != null && args.length > 0 && args[0] instanceof String sql) {
                contextUpdated |= CONTEXT_UPDATE.matcher(sql).matches();
                stepUpdated |= STEP_UPDATE.matcher(sql).matches();
            }
            boolean chunkCommit = name.equals("commit") && contextUpdated && stepUpdated;
            if (name.equals("commit") || name.equals("rollback")) {
                contextUpdated = false;
                stepUpdated = false;
            }
            int chunk = chunkCommit ? CHUNK_COMMITS.incrementAndGet() : 0;
            boolean pausing = chunkCommit && chunk == pauseAt;
            if (pausing && beforeCommit) {
                pause(BEFORE_COMMIT, chunk);
            }
            Object result = WrappingDriver.invoke(database, method, args);
            if (pausing && !beforeCommit) {
                pause(AFTER_COMMIT, chunk);
            }
            return result;
        }

        private static void pause(String moment, int chunk) {
            PrintStream out = System.out;
            out.println(MARKER + moment + " of chunk " + chunk);
            out.flush();
            while (true) {
                LockSupport.park();
            }
        }
    }
}
