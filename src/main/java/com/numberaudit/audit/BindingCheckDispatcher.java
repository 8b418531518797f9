package com.numberaudit.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

import com.numberaudit.ledger.OpenTickets;
import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;

/**
 * Hands every number to every enabled platform's {@link PlatformChannel}, except where the night
 * already has the platform's word on it: the answer to a ticket an earlier night got, collected
 * before anything is asked ({@link #collectTickets}).
 */
public final class BindingCheckDispatcher {

    private final List<Platform> platforms;
    private final PlatformRegistry registry;
    private final LocalDate asOf;
    private final List<PlatformChannel> channels = new ArrayList<>();
    private final StallGuard stallGuard;
    /** Per platform, the answers tonight's ticket polls brought (or EXPIRED, or still PENDING), by number. */
    private final List<Long2ObjectOpenHashMap<BindingAnswer>> collected = new ArrayList<>();
    private OpenTickets tickets = OpenTickets.none();
    private final AskAgain askAgain;

    /** Numbers refused by an open circuit end undetermined at once ({@code audit.deadline} 0). */
    public BindingCheckDispatcher(PlatformRegistry registry, LocalDate asOf) {
        this(registry, asOf, Duration.ZERO, () -> false);
    }

    /**
     * @param deadline {@code audit.deadline}: from now (the job's start), how long numbers a platform's open circuit
     *                 refuses are held back and asked again (see {@link PlatformChannel})
     * @param stopping whether the run was asked to stop: then nothing is held back any more
     */
    BindingCheckDispatcher(PlatformRegistry registry, LocalDate asOf, Duration deadline, BooleanSupplier stopping) {
        this.platforms = registry.platforms();
        this.registry = registry;
        this.asOf = asOf;
        this.stallGuard = StallGuard.of(platforms);
        this.askAgain = AskAgain.until(deadline, stopping);
        for (int i = 0; i < platforms.size(); i++) {
            channels.add(new PlatformChannel(i, platforms.get(i), registry.adapter(i), asOf, registry.noAnswers(), stallGuard,
                    askAgain));
            collected.add(new Long2ObjectOpenHashMap<>());
        }
    }

    /**
     * Polls, once each, the tickets still open from earlier nights, before any number is asked: a ticket's answer
     * stands for its numbers tonight (no request asks them again), one still open keeps them PENDING, one older than
     * its platform's {@code answer-within} leaves them undetermined ({@code EXPIRED}, asked afresh the next night),
     * and one the platform does not know has them asked afresh tonight. Each platform's tickets are polled at most
     * {@code max-concurrency} at a time ({@link TicketPolls}); a poll not answered within the longest platform's
     * {@link TicketPolls#bound} leaves its numbers PENDING.
     */
    void collectTickets(OpenTickets open) throws InterruptedException {
        tickets = open;
        collected.forEach(Long2ObjectOpenHashMap::clear);
        Map<OpenTickets.Ticket, CompletableFuture<List<BindingAnswer>>> polls = new LinkedHashMap<>();
        Map<OpenTickets.Ticket, Integer> platformOf = new LinkedHashMap<>();
        List<TicketPolls> started = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (int i = 0; i < platforms.size(); i++) {
            Platform platform = platforms.get(i);
            List<OpenTickets.Ticket> live = new ArrayList<>();
            for (OpenTickets.Ticket ticket : open.of(platform.id())) {
                platformOf.put(ticket, i);
                if (ticket.expiredOn(asOf, platform.settings().answerWithin().toDays())) {
                    polls.put(ticket, CompletableFuture.completedFuture(Collections.nCopies(ticket.numbers().size(),
                            BindingAnswer.noAnswer(BindingAnswer.EXPIRED, ticket.correlator()).withTicket(ticket.ticket()))));
                } else {
                    live.add(ticket);
                }
            }
            Duration bound = TicketPolls.bound(live.size(), platform.settings());
            longest = longest.compareTo(bound) < 0 ? bound : longest;
            TicketPolls platformPolls = TicketPolls.start(registry.adapter(i), live, platform.settings().maxConcurrency());
            started.add(platformPolls);
            for (int t = 0; t < live.size(); t++) {
                polls.put(live.get(t), platformPolls.answer(t));
            }
        }
        long deadline = System.nanoTime() + longest.toNanos();
        try {
            for (Map.Entry<OpenTickets.Ticket, CompletableFuture<List<BindingAnswer>>> poll : polls.entrySet()) {
                record(poll.getKey(), platformOf.get(poll.getKey()), answered(poll.getValue(), deadline));
            }
        } finally {
            started.forEach(TicketPolls::stop);
        }
    }

    /**
     * Takes tonight's open tickets and their answers as another step polled them ({@link TicketSnapshot}), asking
     * nothing: a partition of a night whose manager polled once for all.
     *
     * @param answers per platform index, the answers kept by number (digits)
     */
    void useTickets(OpenTickets open, List<Long2ObjectOpenHashMap<BindingAnswer>> answers) {
        tickets = open;
        for (int i = 0; i < collected.size(); i++) {
            collected.get(i).clear();
            collected.get(i).putAll(answers.get(i));
        }
    }

    /** The answers tonight's ticket polls brought on the platform of index {@code platform}, by number (digits). */
    Long2ObjectOpenHashMap<BindingAnswer> collected(int platform) {
        return collected.get(platform);
    }

    /** Keeps the ticket's answers for tonight, except TICKET_UNKNOWN (asked afresh); no answers at all: PENDING. */
    private void record(OpenTickets.Ticket ticket, int platform, List<BindingAnswer> answers) {
        for (int n = 0; n < ticket.numbers().size(); n++) {
            BindingAnswer answer = answers == null || answers.size() != ticket.numbers().size()
                    ? BindingAnswer.pending(ticket.ticket(), null) : answers.get(n);
            if (!BindingAnswer.TICKET_UNKNOWN.equals(answer.reason())) {
                collected.get(platform).put(Long.parseLong(ticket.numbers().get(n)), answer);
            }
            if (answer.status() == BindingAnswer.Status.NO_ANSWER) {
                registry.noAnswers().record(platforms.get(platform).id(), answer.reason(), answer.detail(), 1, null);
            }
        }
    }

    /** The poll's answers, or null if it has none by the deadline (its ticket then stays open). */
    private static List<BindingAnswer> answered(CompletableFuture<List<BindingAnswer>> poll, long deadline) throws InterruptedException {
        try {
            return poll.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** The tickets the night started with (the ledger keeps the night each was given). */
    OpenTickets openTickets() {
        return tickets;
    }

    public List<Platform> platforms() {
        return platforms;
    }

    BindingCheck start(MobileNumber number, long sequence) {
        BindingCheck check = new BindingCheck(sequence, number, platforms);
        for (int i = 0; i < channels.size(); i++) {
            Long2ObjectOpenHashMap<BindingAnswer> known = collected.get(i);
            BindingAnswer answer = known.isEmpty() ? null : known.get(number.digits());
            if (answer != null) {
                check.answer(i, answer);
            } else {
                channels.get(i).submit(check);
            }
        }
        return check;
    }

    /** Counts {@code audit.deadline} from when the run began: its first execution's start, also after a restart. */
    void deadlineFrom(Instant runStarted) {
        askAgain.from(runStarted);
    }

    /** Makes sure every row up to {@code sequence} is on its way to every platform. */
    void sendUpTo(long sequence) {
        channels.forEach(channel -> channel.sendUpTo(sequence));
    }

    void flush() {
        channels.forEach(PlatformChannel::flush);
    }

    /** The verdict of {@code check}; fails when no platform has answered for longer than the stall bound. */
    BindingVerdict await(BindingCheck check) throws InterruptedException, ExecutionException {
        return stallGuard.await(check, this::owing, () -> channels.stream().allMatch(PlatformChannel::onlyHeld));
    }

    /** e.g. {@code wechat (3 batches)}: the platforms with batches sent or queued and not yet answered. */
    private String owing() {
        List<String> owing = new ArrayList<>();
        for (PlatformChannel channel : channels) {
            int batches = channel.unanswered();
            if (batches > 0) {
                owing.add(channel.platformId() + " (" + batches + (batches == 1 ? " batch)" : " batches)"));
            }
        }
        return String.join(", ", owing);
    }
}
