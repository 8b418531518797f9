package com.numberaudit.platform;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
}
