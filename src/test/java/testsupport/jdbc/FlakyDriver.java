package testsupport.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database that fails on cue, for the tests of a database failure in the middle of a chunk:
 * {@code jdbc:flaky:<an H2 or PostgreSQL url>} is that database, except in one of its scenarios,
 * counted in chunk commits (commits of a transaction that saved a step's execution context) or in
 * such saves. The failures are the driver's own exceptions: the database behind it never sees them.
 */
public final class FlakyDriver extends WrappingDriver {

    public FlakyDriver() {
        super("jdbc:flaky:");
    }

    private static final String CONTEXT_SAVE = "UPDATE BATCH_STEP_EXECUTION_CONTEXT";
    private static final String STEP_SAVE = "UPDATE BATCH_STEP_EXECUTION SET";

    private enum Scenario { NONE, COMMIT_LOST, COMMIT_REPLY_LOST, CONTEXT_SAVE_FAILS, STEP_END_CONTEXT_SAVE_FAILS }

    private static volatile Scenario scenario = Scenario.NONE;
    private static volatile int failAt;
    private static final AtomicInteger seen = new AtomicInteger();
    /** Statements of any kind still to fail. */
    private static final AtomicInteger statementsDown = new AtomicInteger();
    /** Context saves still to fail. */
    private static final AtomicInteger contextSavesDown = new AtomicInteger();

    /** The {@code n}-th chunk commit never reaches the database, which stays away for the next three statements. */
    public static void loseChunkCommit(int n) {
        plan(Scenario.COMMIT_LOST, n);
    }

    /** The {@code n}-th chunk commit is done, but its reply is lost, and the database stays away for the next three statements. */
    public static void loseChunkCommitReply(int n) {
        plan(Scenario.COMMIT_REPLY_LOST, n);
    }

    /** Once a step has recorded that it COMPLETED, the save of its context that follows fails (once). */
    public static void failContextSaveAfterStepEnd() {
        plan(Scenario.STEP_END_CONTEXT_SAVE_FAILS, 1);
    }

    /** The {@code n}-th save of a step's context (a statement inside the chunk's transaction) fails. */
    public static void failContextSave(int n) {
        plan(Scenario.CONTEXT_SAVE_FAILS, n);
    }

    public static void heal() {
        plan(Scenario.NONE, 0);
    }

    private static void plan(Scenario planned, int n) {
        scenario = planned;
        failAt = n;
        seen.set(0);
        statementsDown.set(0);
        contextSavesDown.set(0);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection database = DriverManager.getConnection(wrapped(url), info);
        boolean[] savedContext = {false};
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        failIf(statementsDown);
                        boolean commitFails = scenario == Scenario.COMMIT_LOST || scenario == Scenario.COMMIT_REPLY_LOST;
                        if (savedContext[0] && commitFails && seen.incrementAndGet() == failAt) {
                            savedContext[0] = false;
                            if (scenario == Scenario.COMMIT_REPLY_LOST) {
                                database.commit();
                            }
                            statementsDown.set(3);
                            throw new SQLException("simulated: the database went away during the commit");
                        }
                        savedContext[0] = false;
                    }
                    if (method.getName().equals("rollback")) {
                        savedContext[0] = false;
                    }
                    Object result = invoke(database, method, args);
                    if (result instanceof PreparedStatement statement && args != null && args[0] instanceof String sql) {
                        return statement(statement, sql, savedContext);
                    }
                    return result;
                });
    }

    private Object statement(PreparedStatement statement, String sql, boolean[] savedContext) {
        String normalised = sql.strip().replaceAll("\\s+", " ").toUpperCase();
        boolean contextSave = normalised.startsWith(CONTEXT_SAVE);
        boolean stepSave = normalised.startsWith(STEP_SAVE);
        InvocationHandler handler = (proxy, method, args) -> {
            if (stepSave && scenario == Scenario.STEP_END_CONTEXT_SAVE_FAILS && method.getName().equals("setString")
                    && "COMPLETED".equals(args[1]) && seen.incrementAndGet() == failAt) {
                contextSavesDown.set(1);
            }
            if (method.getName().startsWith("execute")) {
                failIf(statementsDown);
                if (contextSave) {
                    failIf(contextSavesDown);
                    savedContext[0] = true;
                    if (scenario == Scenario.CONTEXT_SAVE_FAILS && seen.incrementAndGet() == failAt) {
                        throw new SQLException("simulated: the database went away while saving a step's context");
                    }
                }
            }
            return invoke(statement, method, args);
        };
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, handler);
    }

    private static void failIf(AtomicInteger down) throws SQLException {
        if (down.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new SQLException("simulated: the database is still away");
        }
    }
}
