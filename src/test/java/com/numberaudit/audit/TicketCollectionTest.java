package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.numberaudit.TestBinding;
import com.numberaudit.ledger.OpenTickets;
import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.BindingCheckAdapter;
import com.numberaudit.platform.BindingCheckAdapterFactory;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;
import com.numberaudit.platform.PlatformSettings;

/**
 * A night that starts with tickets open from earlier nights: each is polled once, before any number
 * is asked; its answer stands for its numbers, a ticket still open keeps them PENDING, one older
 * than answer-within is not even polled (EXPIRED), and one the platform does not know has its
 * numbers asked afresh, like the numbers without a ticket.
 */
class TicketCollectionTest {

    private static final LocalDate TONIGHT = LocalDate.of(2026, 12, 1);
    private static final MobileNumber EXPIRED = new MobileNumber(13600000001L);
    private static final MobileNumber ANSWERED = new MobileNumber(13600000002L);
    private static final MobileNumber STILL_OPEN = new MobileNumber(13600000003L);
    private static final MobileNumber FORGOTTEN = new MobileNumber(13600000004L);
    private static final MobileNumber NO_TICKET = new MobileNumber(13600000005L);

    private final List<MobileNumber> asked = Collections.synchronizedList(new ArrayList<>());
    private final List<String> polled = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService platformClock = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger pollsInFlight = new AtomicInteger();
    private final AtomicInteger mostPollsInFlight = new AtomicInteger();

    @AfterEach
    void stopClock() {
        platformClock.shutdownNow();
    }

    @Test
    void openTicketsAreCollectedBeforeAnythingIsAskedAndOnlyTheirUnknownNumbersAreAskedAfresh() throws Exception {
        BindingCheckDispatcher dispatcher = new BindingCheckDispatcher(registry(), TONIGHT);
        dispatcher.collectTickets(OpenTickets.of(List.of(
                ticket("t-old", LocalDate.of(2026, 11, 28), EXPIRED),
                ticket("t-answered", LocalDate.of(2026, 11, 29), ANSWERED),
                ticket("t-open", LocalDate.of(2026, 11, 29), STILL_OPEN),
                ticket("t-forgotten", LocalDate.of(2026, 11, 29), FORGOTTEN))));

        List<BindingCheck> checks = new ArrayList<>();
        for (MobileNumber number : List.of(EXPIRED, ANSWERED, STILL_OPEN, FORGOTTEN, NO_TICKET)) {
            checks.add(dispatcher.start(number, checks.size()));
        }
        dispatcher.flush();

        assertThat(polled).as("an expired ticket is not polled").containsExactlyInAnyOrder("t-answered", "t-open", "t-forgotten");
        assertThat(asked).as("asked afresh: the numbers of a ticket the platform forgot, and those without one")
                .containsExactly(FORGOTTEN, NO_TICKET);
        assertThat(checks).extracting(check -> dispatcher.await(check).reason()).containsExactly(
                "alpha:EXPIRED", null, "alpha:PENDING", null, null);
        assertThat(checks.get(1).answers()[0]).as("the late answer, under its ticket")
                .isEqualTo(BindingAnswer.notBound("poll-correlator").withTicket("t-answered"));
        assertThat(checks.get(0).answers()[0].ticket()).isEqualTo("t-old");
        assertThat(dispatcher.openTickets().of("alpha")).hasSize(4);
    }

    /**
     * A platform that takes 100 ms for each poll: 50 tickets at max-concurrency 2 are 25 rounds, never more than 2 polls at
     * once, and every ticket's answer (or, for a poll that fails, PENDING) counts tonight.
     */
    @Test
    void ticketsArePolledAtMostMaxConcurrencyAtOnceAndAllAreAnswered() throws Exception {
        BindingCheckDispatcher dispatcher = new BindingCheckDispatcher(registry(answerSlowly(), "max-concurrency", "2"), TONIGHT);
        List<MobileNumber> numbers = IntStream.range(0, 50).mapToObj(i -> new MobileNumber(13700000000L + i)).toList();
        dispatcher.collectTickets(OpenTickets.of(numbers.stream()
                .map(number -> ticket((number.digits() % 10 == 0 ? "t-fails-" : "t-") + number.national(), TONIGHT, number))
                .toList()));

        assertThat(polled).as("every ticket polled once").hasSize(50).doesNotHaveDuplicates();
        assertThat(mostPollsInFlight.get()).as("polls in flight at once").isEqualTo(2);
        List<BindingCheck> checks = new ArrayList<>();
        for (MobileNumber number : numbers) {
            checks.add(dispatcher.start(number, checks.size()));
        }
        dispatcher.flush();
        assertThat(asked).as("every number has its ticket's word tonight").isEmpty();
        assertThat(checks).allSatisfy(check -> assertThat(dispatcher.await(check).reason())
                .isEqualTo(check.number().digits() % 10 == 0 ? "alpha:PENDING" : null));
    }

    /** Answers each poll after 100 ms on its own clock (no thread waits on it): NOT_BOUND, or a failure for tickets named t-fails-*. */
    private Poll answerSlowly() {
        return (ticket, numbers) -> {
            int inFlight = pollsInFlight.incrementAndGet();
            mostPollsInFlight.accumulateAndGet(inFlight, Math::max);
            CompletableFuture<List<BindingAnswer>> answer = new CompletableFuture<>();
            platformClock.schedule(() -> {
                pollsInFlight.decrementAndGet();
                if (ticket.startsWith("t-fails-")) {
                    answer.completeExceptionally(new IllegalStateException("connection reset"));
                } else {
                    answer.complete(Collections.nCopies(numbers.size(), BindingAnswer.notBound("poll-correlator").withTicket(ticket)));
                }
            }, 100, TimeUnit.MILLISECONDS);
            return answer;
        };
    }

    private static OpenTickets.Ticket ticket(String ticket, LocalDate issuedOn, MobileNumber number) {
        return new OpenTickets.Ticket("alpha", ticket, issuedOn, "c-" + ticket, List.of(number.national()));
    }

    /** How the scripted platform answers a poll. */
    private interface Poll {
        CompletableFuture<List<BindingAnswer>> answer(String ticket, List<MobileNumber> numbers);
    }

    /** Answers tickets as their names say. */
    private static CompletableFuture<List<BindingAnswer>> answerAsNamed(String ticket, List<MobileNumber> numbers) {
        BindingAnswer answer = switch (ticket) {
            case "t-answered" -> BindingAnswer.notBound("poll-correlator").withTicket(ticket);
            case "t-open" -> BindingAnswer.pending(ticket, "poll-correlator");
            default -> BindingAnswer.noAnswer(BindingAnswer.TICKET_UNKNOWN, "poll-correlator").withTicket(ticket);
        };
        return CompletableFuture.completedFuture(Collections.nCopies(numbers.size(), answer));
    }

    private PlatformRegistry registry() {
        return registry(TicketCollectionTest::answerAsNamed);
    }

    /** One platform, answer-within 2 days, whose adapter answers polls with {@code poll} and NOT_BOUND to every question. */
    private PlatformRegistry registry(Poll poll, String... settings) {
        BindingCheckAdapterFactory factory = new BindingCheckAdapterFactory() {
            @Override
            public String name() {
                return "scripted";
            }

            @Override
            public BindingCheckAdapter create(Platform platform) {
                return new BindingCheckAdapter() {
                    @Override
                    public CompletableFuture<List<BindingAnswer>> check(LocalDate asOf, List<MobileNumber> numbers) {
                        asked.addAll(numbers);
                        return CompletableFuture.completedFuture(Collections.nCopies(numbers.size(), BindingAnswer.NOT_BOUND));
                    }

                    @Override
                    public CompletableFuture<List<BindingAnswer>> collect(String ticket, List<MobileNumber> numbers) {
                        polled.add(ticket);
                        return poll.answer(ticket, numbers);
                    }
                };
            }
        };
        List<String> keysAndValues = new ArrayList<>(List.of("url", "https://alpha.example", "adapter", "scripted", "answer-within", "2d"));
        keysAndValues.addAll(List.of(settings));
        return PlatformRegistry.build(Map.of("alpha", TestBinding.bind(PlatformSettings.class, keysAndValues.toArray(String[]::new))),
                List.of(factory), null);
    }
}
