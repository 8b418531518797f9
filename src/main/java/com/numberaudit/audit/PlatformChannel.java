package com.numberaudit.audit;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.BindingCheckAdapter;
import com.numberaudit.platform.NoAnswerLog;
import com.numberaudit.platform.Platform;

/**
 * The way to one platform: gathers numbers into batches of the platform's batch size and keeps
 * up to {@code max-concurrency} requests in flight, sending the next batch as soon as one
 * returns. No thread waits on a request; answers arrive on the HTTP client's threads. Whatever
 * goes wrong with a batch's answers (the adapter fails, throws, or answers something unreadable)
 * leaves that batch's numbers undetermined ({@code ADAPTER_ERROR}) at once, and the channel goes on.
 * <p>
 * Numbers the platform's open circuit refuses ({@code CIRCUIT_OPEN}) are held back while {@code audit.deadline}
 * allows: their batch keeps its slot (every other batch would be refused as well) and asks again for them every
 * {@link AskAgain#EVERY}, until the circuit lets requests through again, or the deadline is near (or the run was
 * asked to stop) and they end undetermined with {@code CIRCUIT_OPEN}. They are answered before their chunk is written, like any other: the writer
 * waits for every verdict of a chunk, so a kill meanwhile leaves the chunk unwritten and a restart asks them afresh.
 */
final class PlatformChannel {

    private static final Logger log = LoggerFactory.getLogger(PlatformChannel.class);
    private static final BindingAnswer ADAPTER_ERROR = BindingAnswer.noAnswer("ADAPTER_ERROR");

    private final int index;
    private final Platform platform;
    private final BindingCheckAdapter adapter;
    private final LocalDate asOf;
    private final NoAnswerLog noAnswers;
    private final StallGuard stallGuard;
    private final int batchSize;
    private final int maxInFlight;
    private final AskAgain askAgain;
    /** Whether numbers are held back now: the first held batch logs it, the first answered after them logs the end. */
    private boolean holding;

    private List<BindingCheck> filling;
    private final ArrayDeque<List<BindingCheck>> waiting = new ArrayDeque<>();
    private int inFlight;

    PlatformChannel(int index, Platform platform, BindingCheckAdapter adapter, LocalDate asOf, NoAnswerLog noAnswers,
                    StallGuard stallGuard) {
        this(index, platform, adapter, asOf, noAnswers, stallGuard, AskAgain.until(Duration.ZERO));
    }

    PlatformChannel(int index, Platform platform, BindingCheckAdapter adapter, LocalDate asOf, NoAnswerLog noAnswers,
                    StallGuard stallGuard, AskAgain askAgain) {
        this.askAgain = askAgain;
        this.index = index;
        this.platform = platform;
        this.adapter = adapter;
        this.asOf = asOf;
        this.noAnswers = noAnswers;
        this.stallGuard = stallGuard;
        this.batchSize = platform.settings().batchSize();
        this.maxInFlight = platform.settings().maxConcurrency();
        this.filling = new ArrayList<>(batchSize);
    }

    void submit(BindingCheck check) {
        synchronized (this) {
            filling.add(check);
            if (filling.size() < batchSize) {
                return;
            }
            closeBatch();
        }
        sendWhileFree();
    }

    /** Sends the partly filled batch if it holds any row at or before {@code sequence}. */
    void sendUpTo(long sequence) {
        synchronized (this) {
            if (filling.isEmpty() || filling.get(0).sequence() > sequence) {
                return;
            }
            closeBatch();
        }
        sendWhileFree();
    }

    void flush() {
        sendUpTo(Long.MAX_VALUE);
    }

    private void closeBatch() {
        waiting.add(filling);
        filling = new ArrayList<>(batchSize);
    }

    private void sendWhileFree() {
        List<BindingCheck> batch;
        while ((batch = nextToSend()) != null) {
            send(batch);
        }
    }

    String platformId() {
        return platform.id();
    }

    /** Batches sent or queued, and not yet answered. */
    synchronized int unanswered() {
        return inFlight + waiting.size();
    }

    private synchronized List<BindingCheck> nextToSend() {
        if (inFlight >= maxInFlight || waiting.isEmpty()) {
            return null;
        }
        inFlight++;
        return waiting.poll();
    }

    private void send(List<BindingCheck> batch) {
        List<MobileNumber> numbers = new ArrayList<>(batch.size());
        for (BindingCheck check : batch) {
            numbers.add(check.number());
        }
        stallGuard.progress();
        CompletableFuture<List<BindingAnswer>> answers;
        try {
            answers = Objects.requireNonNull(adapter.check(asOf, numbers), "the adapter returned no future");
        } catch (RuntimeException e) {
            answers = CompletableFuture.failedFuture(e);
        }
        answers.whenComplete((result, failure) -> settle(batch, result, failure));
    }

    /**
     * Frees the batch's slot and hands its answers on. Never throws: {@code whenComplete} would drop
     * the exception, and with it every verdict of the batch, and the writer would wait for them.
     */
    private void settle(List<BindingCheck> batch, List<BindingAnswer> result, Throwable failure) {
        stallGuard.progress();
        List<BindingCheck> refused = failure == null ? heldBack(batch, result) : null;
        if (refused != null) {
            // the slot stays taken: the refused numbers are asked again in it
            CompletableFuture.delayedExecutor(AskAgain.EVERY.toNanos(), TimeUnit.NANOSECONDS).execute(() -> send(refused));
            return;
        }
        synchronized (this) {
            inFlight--;
        }
        try {
            // the platform's slot is free: fill it before spending time on these answers
            sendWhileFree();
            deliver(batch, result, failure);
        } catch (RuntimeException | Error e) {
            unanswered(batch, e);
        }
    }

    /**
     * When the deadline allows another try and the circuit refused some of the batch's numbers: delivers the other
     * answers and returns the refused numbers, to be asked again; otherwise null, and the batch is settled as it is.
     * Never throws.
     */
    private List<BindingCheck> heldBack(List<BindingCheck> batch, List<BindingAnswer> result) {
        try {
            if (result == null || result.size() != batch.size() || !askAgain.allowsAnotherTry()) {
                return null;
            }
            List<BindingCheck> refused = new ArrayList<>();
            for (BindingAnswer answer : result) {
                Objects.requireNonNull(answer, "answer");
            }
            for (int i = 0; i < batch.size(); i++) {
                if (refusedByCircuit(result.get(i))) {
                    refused.add(batch.get(i));
                }
            }
            boolean wasHolding;
            synchronized (this) {
                wasHolding = holding;
                holding = !refused.isEmpty();
            }
            if (refused.isEmpty()) {
                if (wasHolding) {
                    log.info("{}: the numbers held back while its circuit was open are being answered", platform.id());
                }
                return null;
            }
            if (!wasHolding) {
                log.warn("{}: circuit open: its numbers are held back and asked again every {} s until {}", platform.id(),
                        AskAgain.EVERY.toSeconds(), askAgain.shown());
            }
            List<BindingAnswer> others = new ArrayList<>(batch.size() - refused.size());
            for (int i = 0; i < batch.size(); i++) {
                if (!refusedByCircuit(result.get(i))) {
                    batch.get(i).answer(index, result.get(i));
                    others.add(result.get(i));
                }
            }
            countUnanswered(others);
            return refused;
        } catch (RuntimeException | Error e) {
            return null;
        }
    }

    private static boolean refusedByCircuit(BindingAnswer answer) {
        return answer.status() == BindingAnswer.Status.NO_ANSWER && BindingAnswer.CIRCUIT_OPEN.equals(answer.reason());
    }

    private void deliver(List<BindingCheck> batch, List<BindingAnswer> result, Throwable failure) {
        if (failure != null || result == null || result.size() != batch.size()) {
            unanswered(batch, failure != null ? failure : new IllegalStateException(
                    (result == null ? "no" : result.size()) + " answers for a batch of " + batch.size() + " ids"));
            return;
        }
        // every answer is read before any is delivered, so answers that break half-way deliver none
        for (int i = 0; i < batch.size(); i++) {
            Objects.requireNonNull(result.get(i), "answer");
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer(index, result.get(i));
        }
        countUnanswered(result);
    }

    /** Hands the batch's ids without an answer to the run's log, by reason: ids of one reason usually come together. */
    private void countUnanswered(List<BindingAnswer> answers) {
        BindingAnswer first = null;
        int ids = 0;
        for (int i = 0; i < answers.size(); i++) {
            BindingAnswer answer = answers.get(i);
            if (answer.status() == BindingAnswer.Status.NO_ANSWER) {
                if (ids > 0 && !answer.reason().equals(first.reason())) {
                    noAnswers.record(platform.id(), first.reason(), first.detail(), ids, null);
                    ids = 0;
                }
                if (ids == 0) {
                    first = answer;
                }
                ids++;
            }
        }
        if (ids > 0) {
            noAnswers.record(platform.id(), first.reason(), first.detail(), ids, null);
        }
    }

    /** The adapter broke its contract: the batch has no answer from this platform (one already delivered stands). */
    private void unanswered(List<BindingCheck> batch, Throwable cause) {
        for (BindingCheck check : batch) {
            check.answer(index, ADAPTER_ERROR);
        }
        noAnswers.record(platform.id(), ADAPTER_ERROR.reason(), null, batch.size(), cause);
    }
}
