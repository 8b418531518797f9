package com.numberaudit.audit;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.BindingCheckAdapter;
import com.numberaudit.platform.Platform;

/**
 * The way to one platform: gathers numbers into batches of the platform's batch size and keeps
 * up to {@code max-concurrency} requests in flight, sending the next batch as soon as one
 * returns. No thread waits on a request; answers arrive on the HTTP client's threads.
 */
final class PlatformChannel {

    private static final Logger log = LoggerFactory.getLogger(PlatformChannel.class);

    private final int index;
    private final Platform platform;
    private final BindingCheckAdapter adapter;
    private final LocalDate asOf;
    private final int batchSize;
    private final int maxInFlight;

    private List<BindingCheck> filling;
    private final ArrayDeque<List<BindingCheck>> waiting = new ArrayDeque<>();
    private int inFlight;

    PlatformChannel(int index, Platform platform, BindingCheckAdapter adapter, LocalDate asOf) {
        this.index = index;
        this.platform = platform;
        this.adapter = adapter;
        this.asOf = asOf;
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
        CompletableFuture<List<BindingAnswer>> answers;
        try {
            answers = adapter.check(asOf, numbers);
        } catch (RuntimeException e) {
            answers = CompletableFuture.failedFuture(e);
        }
        answers.whenComplete((result, failure) -> {
            // the platform's slot is free: fill it before spending time on these answers
            synchronized (this) {
                inFlight--;
            }
            sendWhileFree();
            deliver(batch, result, failure);
        });
    }

    private void deliver(List<BindingCheck> batch, List<BindingAnswer> result, Throwable failure) {
        if (failure != null || result == null || result.size() != batch.size()) {
            log.error("{}: adapter broke its contract for a batch of {} ids; they count as unanswered",
                    platform.id(), batch.size(), failure);
            BindingAnswer broken = BindingAnswer.noAnswer("ADAPTER_ERROR");
            batch.forEach(check -> check.answer(index, broken));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer(index, result.get(i));
        }
    }
}
