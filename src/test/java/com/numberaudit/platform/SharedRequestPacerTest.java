package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import com.numberaudit.AuditConfigurationException;
import com.numberaudit.TestBinding;
import com.numberaudit.demo.AnswerLayout;
import com.numberaudit.demo.BindingCheckSimulator;
import com.numberaudit.demo.DemoBindings;
import com.numberaudit.demo.SimulatedFaults;
import com.numberaudit.number.MobileNumber;
import testsupport.db.ScratchRepository;

/**
 * The rate limit shared by several workers ({@link SharedRequestPacer}, {@link RateSlots}) on a real PostgreSQL, each
 * {@link RateSlots} standing for one worker's JVM: its own reservation thread and connection, as in production.
 */
class SharedRequestPacerTest {

    /** A platform taking 20 requests a second, the rest answered 429. */
    private static final SimulatedFaults LIMITED_TO_20 = new SimulatedFaults(0, 1.0, 0, false, 0.0, Duration.ZERO, Duration.ZERO,
            false, 500, 20, Duration.ofSeconds(1), null, null, null, 0, AnswerLayout.COMPACT);

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 28);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private ScratchRepository repository;
    private DataSource database;
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2);
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void createTheSlotsTable() throws SQLException {
        repository = ScratchRepository.postgres();
        database = repository.dataSource();
        try (Connection connection = repository.connect()) {
            ScriptUtils.executeSqlScript(connection, new ClassPathResource("db/migration/V8__rate_slots.sql"));
        }
    }

    @AfterEach
    void close() throws Exception {
        Collections.reverse(closing);
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
        scheduler.shutdownNow();
        if (repository != null) {
            repository.close();
        }
    }

    @Test
    void twoWorkersSharingAPlatformSendNoMoreThanItsRateInAnySecond() {
        double rate = 50;
        PlatformMeters meters = new RequestMeters(new SimpleMeterRegistry()).of("wechat");
        SharedRequestPacer workerA = new SharedRequestPacer("wechat", rate, slots(), scheduler, meters);
        SharedRequestPacer workerB = new SharedRequestPacer("wechat", rate, slots(), scheduler, meters);
        List<Instant> slotStarts = Collections.synchronizedList(new ArrayList<>());
        List<Long> sent = Collections.synchronizedList(new ArrayList<>());

        // two threads per worker, each asking for 50 slots at once, as an adapter with many batches in flight does
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<?>> slots = Collections.synchronizedList(new ArrayList<>());
        for (SharedRequestPacer worker : List.of(workerA, workerB, workerA, workerB)) {
            Thread thread = new Thread(() -> IntStream.range(0, 50).forEach(i ->
                    slots.add(worker.slotWhenItComes().thenAccept(slot -> {
                        sent.add(System.nanoTime());
                        slotStarts.add(slot.start());
                    }))));
            thread.start();
            threads.add(thread);
        }
        threads.forEach(thread -> {
            try {
                thread.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture.allOf(slots.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(slotStarts).hasSize(200);
        List<Instant> starts = slotStarts.stream().sorted().toList();
        long interval = workerA.intervalMicros();
        assertThat(interval).isEqualTo(Math.round(1e6 / (rate * 0.99)));
        for (int i = 1; i < starts.size(); i++) {
            assertThat(ChronoUnit.MICROS.between(starts.get(i - 1), starts.get(i))).as("gap before slot %d", i).isGreaterThanOrEqualTo(interval);
        }
        assertThat(busiestSecond(sent)).as("sends in the busiest one-second window").isLessThanOrEqualTo((int) rate);
        // each slot used or, when it came too late to be used, left empty and counted
        assertThat(meters.rateSlots()).isEqualTo(200 + meters.lateRateSlots());
        System.out.printf("200 sends at %.0f/s from two workers: busiest second %d, late slots left unused %d, reservations p50 %.3f ms, "
                + "p99 %.3f ms (queued 200 at once)%n", rate, busiestSecond(sent), meters.lateRateSlots(), meters.rateSlotMillisP50(),
                meters.rateSlotMillisP99());
    }

    @Test
    void aReservationThatFailsSendsNothingAnswersRateSlotAndLeavesTheCircuitClosed() throws Exception {
        try (BindingCheckSimulator simulator = BindingCheckSimulator.start(0, DemoBindings.empty(), id -> SimulatedFaults.NONE);
             BindingCheckApiAdapterFactory factory = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry(),
                     new RequestMeters(new SimpleMeterRegistry()), slots())) {
            BindingCheckAdapter adapter = factory.create(platform(simulator, 100, "circuit-breaker.minimum-calls", "2"));
            List<MobileNumber> numbers = List.of(new MobileNumber(13832738807L), new MobileNumber(13912345678L));
            assertThat(adapter.check(AS_OF, numbers).get(10, TimeUnit.SECONDS)).extracting(BindingAnswer::status)
                    .containsOnly(BindingAnswer.Status.NOT_BOUND);

            // the database loses the limiter: no slot can be reserved
            execute("ALTER TABLE audit_rate_slot RENAME TO audit_rate_slot_gone");
            for (int batch = 0; batch < 5; batch++) {
                assertThat(adapter.check(AS_OF, numbers).get(10, TimeUnit.SECONDS)).as("batch %d", batch)
                        .extracting(BindingAnswer::status, BindingAnswer::reason)
                        .containsOnly(org.assertj.core.groups.Tuple.tuple(BindingAnswer.Status.NO_ANSWER, BindingAnswer.RATE_SLOT));
            }
            assertThat(adapter.collect("t-1", numbers).get(10, TimeUnit.SECONDS)).as("a ticket's poll without a slot")
                    .containsOnly(BindingAnswer.pending("t-1", null));
            assertThat(simulator.requestCount("p")).as("requests that reached the platform").isEqualTo(1);

            // five refusals would have opened a circuit judging two calls: the platform is asked again as soon as it can be
            execute("ALTER TABLE audit_rate_slot_gone RENAME TO audit_rate_slot");
            assertThat(adapter.check(AS_OF, numbers).get(10, TimeUnit.SECONDS)).extracting(BindingAnswer::status)
                    .containsOnly(BindingAnswer.Status.NOT_BOUND);
        }
    }

    @Test
    void twoAdaptersSharingThePlatformsRateLimitAreNeverThrottled() throws Exception {
        RequestMeters metersA = new RequestMeters(new SimpleMeterRegistry());
        RequestMeters metersB = new RequestMeters(new SimpleMeterRegistry());
        try (BindingCheckSimulator simulator = BindingCheckSimulator.start(0, DemoBindings.empty(), id -> LIMITED_TO_20);
             BindingCheckApiAdapterFactory workerA = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry(), metersA, slots());
             BindingCheckApiAdapterFactory workerB = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry(), metersB, slots())) {
            List<BindingAnswer> answers = askTogether(simulator, workerA, workerB, 20);

            assertThat(answers).hasSize(40).extracting(BindingAnswer::reason).containsOnly((String) null);
            assertThat(answers).extracting(BindingAnswer::status).containsOnly(BindingAnswer.Status.NOT_BOUND);
            assertThat(metersA.of("p").counts().http429() + metersB.of("p").counts().http429()).as("429s").isZero();
            assertThat(simulator.requestCount("p")).isEqualTo(40);
        }
    }

    @Test
    void twoAdaptersEachPacingAloneAreThrottled() throws Exception {
        // the same two workers with this process's own pacing each: together twice the rate
        RequestMeters metersA = new RequestMeters(new SimpleMeterRegistry());
        RequestMeters metersB = new RequestMeters(new SimpleMeterRegistry());
        try (BindingCheckSimulator simulator = BindingCheckSimulator.start(0, DemoBindings.empty(), id -> LIMITED_TO_20);
             BindingCheckApiAdapterFactory workerA = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry(), metersA);
             BindingCheckApiAdapterFactory workerB = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry(), metersB)) {
            askTogether(simulator, workerA, workerB, 20);

            assertThat(metersA.of("p").counts().http429() + metersB.of("p").counts().http429()).as("429s").isPositive();
        }
    }

    @Test
    void reservationLatencyOnThisDatabase() {
        PlatformMeters meters = new RequestMeters(new SimpleMeterRegistry()).of("p");
        // a rate no pacing holds back: only the reservations' own time is measured, one after the other
        SharedRequestPacer pacer = new SharedRequestPacer("p", 1e6, slots(), scheduler, meters);
        for (int i = 0; i < 1_000; i++) {
            pacer.nextSlot().join();
        }
        System.out.printf("rate slot reservations: %d, p50 %.3f ms, p99 %.3f ms, slower than 5 ms: %d, late: %d%n", meters.rateSlots(),
                meters.rateSlotMillisP50(), meters.rateSlotMillisP99(), meters.slowRateSlots(), meters.lateRateSlots());
        assertThat(meters.rateSlots()).isEqualTo(1_000 + meters.lateRateSlots());
        assertThat(meters.rateSlotMillisP50()).as("median reservation, ms").isLessThan(5.0);
    }

    @Test
    void anH2JobRepositoryIsRefusedForSharedRateLimits() {
        DataSource h2 = new org.springframework.jdbc.datasource.DriverManagerDataSource("jdbc:h2:mem:rate-slots", "", "");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RateSlots(h2))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageContaining("must then be PostgreSQL");
    }

    /** Each worker asks 'p' for {@code each} single numbers, all at once; the answers of both. */
    private static List<BindingAnswer> askTogether(BindingCheckSimulator simulator, BindingCheckApiAdapterFactory workerA,
                                                   BindingCheckApiAdapterFactory workerB, int each) throws Exception {
        BindingCheckAdapter a = workerA.create(platform(simulator, 20, "retry.max-attempts", "1"));
        BindingCheckAdapter b = workerB.create(platform(simulator, 20, "retry.max-attempts", "1"));
        List<CompletableFuture<List<BindingAnswer>>> asked = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            asked.add(a.check(AS_OF, List.of(new MobileNumber(13800000000L + i))));
            asked.add(b.check(AS_OF, List.of(new MobileNumber(13900000000L + i))));
        }
        List<BindingAnswer> answers = new ArrayList<>();
        for (CompletableFuture<List<BindingAnswer>> answer : asked) {
            answers.addAll(answer.get(30, TimeUnit.SECONDS));
        }
        return answers;
    }

    private static Platform platform(BindingCheckSimulator simulator, double rateLimit, String... more) {
        List<String> keysAndValues = new ArrayList<>(List.of("url", simulator.baseUrl("p").toString(), "rate-limit",
                String.valueOf(rateLimit)));
        keysAndValues.addAll(List.of(more));
        PlatformSettings settings = TestBinding.bind(PlatformSettings.class, keysAndValues.toArray(String[]::new));
        return new Platform("p", settings, settings.url());
    }

    /** One worker's reservations: a thread and a connection of its own. */
    private RateSlots slots() {
        RateSlots slots = new RateSlots(database);
        closing.add(slots);
        return slots;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = repository.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The most sends within any one second: each send opens a window, which holds the sends before it ends. */
    private static int busiestSecond(List<Long> sentNanos) {
        List<Long> sorted = sentNanos.stream().sorted().toList();
        int busiest = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            while (end < sorted.size() && sorted.get(end) - sorted.get(start) < SECOND) {
                end++;
            }
            busiest = Math.max(busiest, end - start);
        }
        return busiest;
    }
}
