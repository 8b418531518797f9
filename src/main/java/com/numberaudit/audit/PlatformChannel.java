package com.numberaudit.audit;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.BindingCheckAdapter;
import com.numberaudit.platform.NoAnswerLog;
import com.numberaudit.platform.Platform;

/**
 * The way to one platform: gathers numbers into batches of the platform's batch size and keeps
 * as many requests in flight as the adapter's concurrency limit allows now (learnt from the platform's answer times,
 * at most {@code max-concurrency}), sending the next batch as soon as one returns: a limit that rose is filled then.
 * No thread waits on a request; answers arrive on the HTTP client's threads. Whatever
 * goes wrong with a batch's answers (the adapter fails, throws, or answers something unreadable)
 * leaves that batch's numbers undetermined ({@code ADAPTER_ERROR}) at once, and the channel goes on.
 * <p>
 * Numbers the platform's open circuit refuses ({@code CIRCUIT_OPEN}) are held back while {@code audit.deadline}
 * allows: their batch keeps its slot (every other batch would be refused as well) and asks again for them every
 * {@link AskAgain#EVERY}, until the circuit lets requests through again, or the deadline is near (or the run was
 * asked to stop) and they end undetermined with {@code CIRCUIT_OPEN}. They are answered before their chunk is
 * written, like any other: the writer waits for every verdict of a chunk, so a kill meanwhile leaves the chunk
 * unwritten and a restart asks them afresh.
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
    /** Batches in flight at most, now; a held batch's slot counts. */
    private final Limit limit;
    private final int maxInFlight;
    private final AskAgain askAgain;
    /**
     * Batches whose numbers are held back now (each keeps its slot): the first logs the hold, the last one settled logs
     * its end. While every batch a platform owes is held, it is waiting for its circuit, not stuck.
     */
    private int held;

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
        this.limit = adapter.concurrencyLimit().orElseGet(() -> FixedLimit.of(maxInFlight));
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
            send(batch, false);
        }
    }

    String platformId() {
        return platform.id();
    }

    /** Batches sent or queued, and not yet answered. */
    synchronized int unanswered() {
        return inFlight + waiting.size();
    }

    /**
     * Whether every batch the platform owes is held back for its open circuit (its queued batches wait for those
     * slots): it waits for the deadline, it is not stuck.
     */
    synchronized boolean onlyHeld() {
        return inFlight == held;
    }

    private synchronized List<BindingCheck> nextToSend() {
        // within [1, max-concurrency] whatever an adapter's limit says: a limit of 0 would leave the batches waiting for ever
        if (inFlight >= Math.max(1, Math.min(maxInFlight, limit.getLimit())) || waiting.isEmpty()) {
            return null;
        }
        inFlight++;
        return waiting.poll();
    }

    /** @param reask whether the batch holds numbers refused before: asking again is no progress of the platform's */
    private void send(List<BindingCheck> batch, boolean reask) {
        List<MobileNumber> numbers = new ArrayList<>(batch.size());
        for (BindingCheck check : batch) {
            numbers.add(check.number());
        }
        if (!reask) {
            stallGuard.progress();
        }
        CompletableFuture<List<BindingAnswer>> answers;
        try {
            answers = Objects.requireNonNull(adapter.check(asOf, numbers), "the adapter returned no future");
        } catch (RuntimeException e) {
            answers = CompletableFuture.failedFuture(e);
        }
        answers.whenComplete((result, failure) -> settle(batch, result, failure, reask));
    }

    /**
     * Frees the batch's slot and hands its answers on. Never throws: {@code whenComplete} would drop
     * the exception, and with it every verdict of the batch, and the writer would wait for them.
     */
    private void settle(List<BindingCheck> batch, List<BindingAnswer> result, Throwable failure, boolean reask) {
        List<BindingCheck> refused = failure == null ? heldBack(batch, result) : null;
        if (refused != null) {
            if (!reask || refused.size() < batch.size()) {
                stallGuard.progress(); // a first refusal, or some numbers answered: only a re-ask refused whole is no news
            }
            if (!reask && holdStarts()) {
                log.warn("{}: circuit open: its numbers are held back and asked again every {} s until {}", platform.id(),
                        AskAgain.EVERY.toSeconds(), askAgain.shown());
            }
            try {
                // the slot stays taken: the refused numbers are asked again in it
                AskAgain.later(() -> send(refused, true));
                return;
            } catch (RuntimeException | Error e) {
                // not asked again (no thread for it): the refused numbers end CIRCUIT_OPEN with the rest below
                batch = refused;
                result = Collections.nCopies(refused.size(), BindingAnswer.noAnswer(BindingAnswer.CIRCUIT_OPEN));
                reask = true;
            }
        }
        stallGuard.progress();
        boolean holdEnds;
        synchronized (this) {
            inFlight--;
            holdEnds = reask && --held == 0;
        }
        if (holdEnds) {
            log.info("{}: the numbers held back while its circuit was open are answered or given up", platform.id());
        }
        try {
            // the platform's slot is free: fill it before spending time on these answers
            sendWhileFree();
            deliver(batch, result, failure);
        } catch (RuntimeException | Error e) {
            unanswered(batch, e);
        }
    }

    /** Counts a batch newly held back; true for the first of a hold. */
    private synchronized boolean holdStarts() {
        return ++held == 1;
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
            if (refused.isEmpty()) {
                return null;
            }
            List<BindingAnswer> others = new ArrayList<>(batch.size() - refused.size());
            for (BindingAnswer answer : result) {
                if (!refusedByCircuit(answer)) {
                    others.add(answer);
                }
            }
            countUnanswered(others);
            for (int i = 0; i < batch.size(); i++) {
                if (!refusedByCircuit(result.get(i))) {
                    batch.get(i).answer(index, result.get(i));
                }
            }
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
        // every answer is read before any is delivered, so answers that break half-way deliver none; and counted
        // before: the run may end (and sum up the unanswered) the moment the last verdict completes
        for (int i = 0; i < batch.size(); i++) {
            Objects.requireNonNull(result.get(i), "answer");
        }
        countUnanswered(result);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer(index, result.get(i));
        }
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
        noAnswers.record(platform.id(), ADAPTER_ERROR.reason(), null, batch.size(), cause);
        for (BindingCheck check : batch) {
            check.answer(index, ADAPTER_ERROR);
        }
    }
}
