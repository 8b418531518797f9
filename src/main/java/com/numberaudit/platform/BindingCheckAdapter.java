package com.numberaudit.platform;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.netflix.concurrency.limits.Limit;

import com.numberaudit.number.MobileNumber;

/**
 * The port every platform is reached through: batch-first, many numbers in, one answer per
 * number out. An implementation never completes exceptionally and never answers for a number
 * it was not asked about: whatever goes wrong becomes {@link BindingAnswer.Status#NO_ANSWER}.
 */
public interface BindingCheckAdapter {

    /**
     * @param asOf    the business date of the run
     * @param numbers at most the platform's batch size, no repeats
     * @return one answer per number, in the order of {@code numbers}
     */
    CompletableFuture<List<BindingAnswer>> check(LocalDate asOf, List<MobileNumber> numbers);

    /**
     * Asks once for the answer to a ticket an earlier night got (a 202), before those numbers are asked again. Called
     * when the poll is to be sent (at most {@code max-concurrency} at a time), so it may take its rate-limit slot then.
     *
     * @param numbers the numbers the ticket is for (those of them still waiting), no repeats
     * @return one answer per number, in order, each carrying the ticket: the platform's answer; or PENDING while it
     *         has none yet; or {@value BindingAnswer#TICKET_UNKNOWN} when it does not know the ticket (ask afresh).
     *         An adapter that never gives tickets knows none.
     */
    default CompletableFuture<List<BindingAnswer>> collect(String ticket, List<MobileNumber> numbers) {
        return CompletableFuture.completedFuture(Collections.nCopies(numbers.size(),
                BindingAnswer.noAnswer(BindingAnswer.TICKET_UNKNOWN).withTicket(ticket)));
    }

    /**
     * How many batches may be in flight to the platform now, when the adapter learns it from the platform's answers;
     * empty: {@code max-concurrency}, always.
     */
    default Optional<Limit> concurrencyLimit() {
        return Optional.empty();
    }
}
