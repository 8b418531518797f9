package com.numberaudit.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.numberaudit.ledger.OpenTickets;
import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.BindingCheckAdapter;
import com.numberaudit.platform.PlatformSettings;

/**
 * The polls of one platform's open tickets, at most {@code max-concurrency} in flight: as many chains, each sending
 * its next poll when the previous one completes. No thread waits on a poll, and a poll reaches the adapter only when
 * it is about to be sent, so it reserves its pacer slot then: slots reserved in advance for thousands of tickets would
 * outlast any wait for them before most were sent.
 */
final class TicketPolls {

    /** Slack for timers and threads of a loaded machine, beyond what the polls themselves may take. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final BindingCheckAdapter adapter;
    private final List<OpenTickets.Ticket> tickets;
    private final List<CompletableFuture<List<BindingAnswer>>> answers;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean stopped;

    private TicketPolls(BindingCheckAdapter adapter, List<OpenTickets.Ticket> tickets) {
        this.adapter = adapter;
        this.tickets = tickets;
        this.answers = new ArrayList<>(tickets.size());
        tickets.forEach(ticket -> answers.add(new CompletableFuture<>()));
    }

    /** Starts polling {@code tickets}, at most {@code maxConcurrency} at a time. */
    static TicketPolls start(BindingCheckAdapter adapter, List<OpenTickets.Ticket> tickets, int maxConcurrency) {
        TicketPolls polls = new TicketPolls(adapter, tickets);
        for (int chain = 0; chain < Math.min(maxConcurrency, tickets.size()); chain++) {
            polls.sendNext();
        }
        return polls;
    }

    /**
     * How long the polls of {@code count} tickets may take at most, with {@code c = min(max-concurrency, count)} chains:
     * {@code ceil(count / c) × (timeout + c / rate-limit) × 1.25 + 5 s}. Each chain sends {@code ceil(count / c)} polls
     * one after another; each waits at most {@code c / rate-limit} for its pacer slot (no more than {@code c} slots are
     * taken ahead of it; no wait without a rate limit) and then at most {@code timeout}, Jetty's total request timeout.
     * A quarter more covers the pacer's 1 % margin and late timers, and 5 s the rest of a loaded machine's slack.
     */
    static Duration bound(int count, PlatformSettings settings) {
        if (count == 0) {
            return Duration.ZERO;
        }
        int chains = Math.min(settings.maxConcurrency(), count);
        long rounds = (count + chains - 1) / chains;
        double pacing = settings.rateLimit() == null ? 0 : chains / settings.rateLimit();
        double perPoll = settings.timeout().toNanos() / 1e9 + pacing;
        return Duration.ofNanos(Math.round(rounds * perPoll * 1.25 * 1e9)).plus(GRACE);
    }

    /** The answers to the {@code index}th ticket's poll; never completes if the poll is not answered (or not sent). */
    CompletableFuture<List<BindingAnswer>> answer(int index) {
        return answers.get(index);
    }

    /** Sends no further poll; those in flight may still complete, unheeded. */
    void stop() {
        stopped = true;
    }

    /** Sends this chain's next polls: those answered at once in this loop, the first that is not from its completion. */
    private void sendNext() {
        for (int i = next.getAndIncrement(); i < tickets.size() && !stopped; i = next.getAndIncrement()) {
            CompletableFuture<List<BindingAnswer>> poll = poll(tickets.get(i));
            CompletableFuture<List<BindingAnswer>> answer = answers.get(i);
            if (!poll.isDone()) {
                poll.whenComplete((result, failure) -> {
                    settle(answer, result, failure);
                    sendNext();
                });
                return;
            }
            poll.whenComplete((result, failure) -> settle(answer, result, failure));
        }
    }

    /** The adapter's poll; should it throw or return nothing, a failed one (its ticket stays open). */
    private CompletableFuture<List<BindingAnswer>> poll(OpenTickets.Ticket ticket) {
        try {
            List<MobileNumber> numbers = ticket.numbers().stream().map(MobileNumber::ofNational).toList();
            return Objects.requireNonNull(adapter.collect(ticket.ticket(), numbers), "the adapter returned no future");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void settle(CompletableFuture<List<BindingAnswer>> answer, List<BindingAnswer> result, Throwable failure) {
        if (failure == null && result != null) {
            answer.complete(result);
        } else {
            answer.completeExceptionally(failure != null ? failure : new IllegalStateException("the poll answered nothing"));
        }
    }
}
