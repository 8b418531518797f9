package com.numberaudit.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.numberaudit.AuditConfigurationException;

/**
 * This process's reservations of request slots in the shared limiter, {@code audit_rate_slot} in the PostgreSQL job
 * repository (docs/scale-out-design.md §5): one UPSERT per request, on one connection, made by one thread, so no HTTP or
 * scheduler thread ever waits on the database. Each platform's row holds the start of its next free slot; a reservation
 * moves it on by the platform's interval on the database's own clock (the hosts' clocks never enter) and learns how long
 * to wait before sending in the slot it took. The row lock orders the reservations of every process.
 * <p>
 * Hand-written rather than Bucket4j's PostgreSQL bucket: that one reads the client's clock, its token bucket admits the
 * {@code rate + 1} window {@link RequestPacer} warns about, and each take costs a SELECT … FOR UPDATE and an UPDATE.
 * <p>
 * One thread is enough: a reservation takes a median of about 0.1 ms on loopback without waiting for its commit's
 * flush (measured with pgbench and in {@code SharedRequestPacerTest}, written up in the design), so it keeps up with
 * thousands of requests a second, and sixteen platforms at 10 per second ask for 160.
 */
public final class RateSlots implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RateSlots.class);

    private static final String RESERVE = """
            INSERT INTO audit_rate_slot AS s (platform, next_slot)
            VALUES (?, clock_timestamp() + CAST(? AS BIGINT) * INTERVAL '1 microsecond')
            ON CONFLICT (platform) DO UPDATE
                SET next_slot = GREATEST(s.next_slot, clock_timestamp()) + CAST(? AS BIGINT) * INTERVAL '1 microsecond'
            RETURNING s.next_slot, CAST(CEIL(EXTRACT(EPOCH FROM (s.next_slot - clock_timestamp())) * 1000000) AS BIGINT)""";

    /** A statement (or a connection's set-up) that takes longer than this fails: the request it was for is not sent. */
    private static final int NETWORK_TIMEOUT_MILLIS = 5_000;
    /** After the database could not be reached, reservations fail at once for this long instead of each trying again. */
    private static final long RECONNECT_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * One slot taken.
     *
     * @param start          when the slot begins, on the database's clock
     * @param waitNanos      how long to wait, from when the answer came, before sending in it (0 when it has begun)
     * @param due       the earliest the slot can have begun, on this process's {@link System#nanoTime()}: when the
     *                  statement was sent plus {@code waitNanos} (the database read its clock after that, and the slot
     *                  begins {@code waitNanos} after it read it). A request sent at {@code t} is at most {@code t - due}
     *                  after its slot's start, however long the answer took to come back or this thread to read it.
     */
    record RateSlot(Instant start, long waitNanos, long due) {
    }

    private final DataSource dataSource;
    private final ExecutorService thread;
    // confined to the reservation thread, after the constructor
    private Connection connection;
    private PreparedStatement reserve;
    private long reconnectNotBefore;
    private boolean failing;

    /**
     * @param dataSource the job repository, which must be PostgreSQL; a connection of its own is taken from it (a data
     *                   source that is not a pool, so the pool of the job repository keeps all of its connections)
     * @throws AuditConfigurationException when the job repository is not PostgreSQL (H2 lives in one process, so it
     *                                     cannot share anything between workers)
     */
    public RateSlots(DataSource dataSource) {
        this.dataSource = dataSource;
        try {
            connection = connect();
            String product = connection.getMetaData().getDatabaseProductName();
            if (!"PostgreSQL".equals(product)) {
                closeConnection();
                throw new AuditConfigurationException("audit.partitions / audit.role: several workers share each platform's "
                        + "rate limit through the job repository, which must then be PostgreSQL (spring.datasource.url); it is "
                        + product);
            }
        } catch (SQLException e) {
            closeConnection();
            throw new IllegalStateException("cannot reach the job repository for the shared rate limit: " + e.getMessage(), e);
        }
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread reserving = new Thread(runnable, "rate-slots");
            reserving.setDaemon(true);
            return reserving;
        });
    }

    /**
     * Takes {@code platform}'s next free slot, on the reservation thread.
     *
     * @param intervalMicros the platform's slot length
     * @return the slot, completed on the reservation thread (whoever continues from it must move off it); or a failure,
     *         {@link Pacer.SlotUnavailable}, when the database could not be asked
     */
    CompletableFuture<RateSlot> reserve(String platform, long intervalMicros) {
        try {
            return CompletableFuture.supplyAsync(() -> reserveNow(platform, intervalMicros), thread);
        } catch (RuntimeException rejected) {
            return CompletableFuture.failedFuture(new Pacer.SlotUnavailable("the rate slots are closed", rejected));
        }
    }

    private RateSlot reserveNow(String platform, long intervalMicros) {
        if (connection == null && System.nanoTime() - reconnectNotBefore < 0) {
            throw new Pacer.SlotUnavailable("the job repository could not be reached a moment ago", null);
        }
        try {
            if (connection == null) {
                try {
                    connection = connect();
                } catch (SQLException e) {
                    reconnectNotBefore = System.nanoTime() + RECONNECT_PAUSE_NANOS;
                    throw e;
                }
            }
            if (reserve == null) {
                try (Statement session = connection.createStatement()) {
                    // The answer comes back without waiting for the commit's WAL flush: on this machine that wait was
                    // a median 1.8 ms and a p99 of 17.6 ms (pgbench, the UPSERT alone; 88 µs and 6.7 ms without it),
                    // and it falls between the slot's start and its request's sending, the 10.1 ms the margin allows.
                    // What it risks: a crash of PostgreSQL can forget the last reservations (at most some 0.6 s of them),
                    // so slots still ahead at the crash may be given again if it is back within those slots' time.
                    session.execute("SET synchronous_commit = off");
                }
                reserve = connection.prepareStatement(RESERVE);
            }
            reserve.setString(1, platform);
            reserve.setLong(2, intervalMicros);
            reserve.setLong(3, intervalMicros);
            long sent = System.nanoTime();
            try (ResultSet slot = reserve.executeQuery()) {
                slot.next();
                Instant next = slot.getObject(1, OffsetDateTime.class).toInstant();
                long untilNextMicros = slot.getLong(2);
                if (failing) {
                    failing = false;
                    log.info("rate slots: reserved in the job repository again");
                }
                long waitNanos = Math.max(0, untilNextMicros - intervalMicros) * 1_000;
                return new RateSlot(next.minusNanos(intervalMicros * 1_000), waitNanos, sent + waitNanos);
            }
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            if (!failing) {
                failing = true;
                log.warn("rate slots: cannot reserve a request slot in the job repository ({}); requests without a slot are "
                        + "not sent and their numbers stay undetermined ({})", e.getMessage(), BindingAnswer.RATE_SLOT);
            }
            throw e instanceof Pacer.SlotUnavailable unavailable ? unavailable
                    : new Pacer.SlotUnavailable("no rate slot: " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        Connection opened = dataSource.getConnection();
        try {
            opened.setAutoCommit(true);
            // a database that stops answering fails the reservation rather than holding every later one
            opened.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
            return opened;
        } catch (SQLException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private void closeConnection() {
        Connection closing = connection;
        connection = null;
        reserve = null;
        if (closing != null) {
            try {
                closing.close();
            } catch (SQLException e) {
                log.debug("rate slots: closing the connection failed", e);
            }
        }
    }

    /** Reservations already asked for are still made; then the connection is closed. */
    @Override
    public void close() {
        try {
            thread.execute(this::closeConnection);
        } catch (RuntimeException alreadyClosed) {
            return;
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(NETWORK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
