package com.numberaudit.audit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

import com.numberaudit.report.AuditTotals;

/**
 * Logs the audit step's {@link Progress} from a thread of its own, which only reads the counters
 * the step keeps anyway: a first line a tick after the step starts, another as soon as the first
 * answers give an ETA if that one had none, then one every {@code audit.progress-interval}.
 * A partitioned night's manager logs the rows its partitions committed, read from the job repository.
 * <p>
 * The rate is that of the last minute, from the first answers on. A resumed run counts the rows
 * its interrupted run committed as done, but measures its rate only by the rows this process wrote.
 */
final class ProgressLog implements StepExecutionListener {

    /** How often the single node's counters are read. */
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
    private static final Logger log = LoggerFactory.getLogger(ProgressLog.class);

    private final String what;
    private final long intervalNanos;
    private final Duration tick;
    private final Function<StepExecution, AuditTotals> totals;
    private final LongSupplier expectedRows;
    /** {nanoTime, rows done} of the last minute's ticks, oldest first; touched by the ticking thread only. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private long committed;
    private long lastLine;
    private boolean lines;
    private boolean etaShown;
    private ScheduledExecutorService ticker;
    private StepExecution step;

    /**
     * The single node's, or a partition's: the step's own counters, read every {@link #TICK}.
     *
     * @param expectedRows the rows the step writes in all, as far as known ({@link PendingNumberReader#expectedRows()})
     */
    ProgressLog(Duration interval, AuditTotals totals, LongSupplier expectedRows) {
        this("progress", interval, TICK, step -> totals, expectedRows);
    }

    /**
     * @param what   the line's first word(s), {@code progress}
     * @param tick   how often {@code totals} is read
     * @param totals the verdicts so far of the step being executed
     */
    ProgressLog(String what, Duration interval, Duration tick, Function<StepExecution, AuditTotals> totals, LongSupplier expectedRows) {
        this.what = what;
        this.intervalNanos = interval.toNanos();
        this.tick = tick;
        this.totals = totals;
        this.expectedRows = expectedRows;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        step = stepExecution;
        // what the step committed before this process: its own context's count (the writer restores its counters later),
        // or a manager's partitions' commits
        start(System.nanoTime(), Math.max(AuditTotals.from(stepExecution.getExecutionContext(), List.of()).rows(),
                totals.apply(stepExecution).rows()));
        ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> {
            try {
                tick(System.nanoTime()).ifPresent(log::info);
            } catch (RuntimeException e) {
                log.warn("Progress not known: {}", e.toString());
            }
        }, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (ticker != null) { // null when an earlier listener failed the step before this one started
            ticker.shutdownNow();
        }
        return null;
    }

    /** @param committed rows an interrupted run of the step committed before this process started it */
    void start(long nanoTime, long committed) {
        this.committed = committed;
        samples.clear();
        samples.add(new long[] {nanoTime, committed});
        lines = false;
        etaShown = false;
    }

    /** The line due at this tick, if one is. */
    Optional<String> tick(long nanoTime) {
        Progress progress = sample(nanoTime);
        boolean firstEta = !etaShown && progress.eta() != null;
        if (lines && !firstEta && nanoTime - lastLine < intervalNanos) {
            return Optional.empty();
        }
        lines = true;
        lastLine = nanoTime;
        etaShown |= progress.eta() != null;
        return Optional.of(progress.line(what));
    }

    private Progress sample(long nanoTime) {
        AuditTotals totals = this.totals.apply(step);
        long clean = totals.clean();
        long bound = totals.bound();
        long undetermined = totals.undetermined();
        long rejected = totals.rejected();
        // before the writer has opened (restored) the totals, the committed rows are what is done
        long done = Math.max(committed, clean + bound + undetermined + rejected);
        if (done == committed) {
            samples.clear(); // the rate counts from the first answers on, not from the time it took to start
        }
        while (samples.size() > 1 && nanoTime - samples.peekFirst()[0] > WINDOW_NANOS) {
            samples.removeFirst();
        }
        long[] oldest = samples.isEmpty() ? new long[] {nanoTime, done} : samples.peekFirst();
        double seconds = (nanoTime - oldest[0]) / 1e9;
        double rate = seconds <= 0 ? 0 : (done - oldest[1]) / seconds;
        samples.addLast(new long[] {nanoTime, done});
        return new Progress(done, expectedRows.getAsLong(), rate, clean, bound, undetermined, rejected);
    }
}
