package com.numberaudit.audit;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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
 */
final class PlatformChannel {

    private static final BindingAnswer ADAPTER_ERROR = BindingAnswer.noAnswer("ADAPTER_ERROR");

    private final int index;
    private final Platform platform;
    private final BindingCheckAdapter adapter;
    private final LocalDate asOf;
    private final NoAnswerLog noAnswers;
    private final StallGuard stallGuard;
    private final int batchSize;
    private final int maxInFlight;

    private List<BindingCheck> filling;
    private final ArrayDeque<List<BindingCheck>> waiting = new ArrayDeque<>();
    private int inFlight;

    PlatformChannel(int index, Platform platform, BindingCheckAdapter adapter, LocalDate asOf, NoAnswerLog noAnswers,
                    StallGuard stallGuard) {
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
