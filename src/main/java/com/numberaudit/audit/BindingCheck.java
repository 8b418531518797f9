package com.numberaudit.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.Platform;

/**
 * One number on its way through every enabled platform: collects one answer per platform and
 * completes its verdict when the last one arrives.
 */
public final class BindingCheck {

    private static final AtomicIntegerFieldUpdater<BindingCheck> OUTSTANDING =
            AtomicIntegerFieldUpdater.newUpdater(BindingCheck.class, "outstanding");
    private static final VarHandle ANSWERS = MethodHandles.arrayElementVarHandle(BindingAnswer[].class);

    private final long sequence;
    private final MobileNumber number;
    private final List<Platform> platforms;
    private final BindingAnswer[] answers;
    /** Platforms still to answer; a field of its own rather than an AtomicInteger (one object less per number). */
    private volatile int outstanding;
    private final CompletableFuture<BindingVerdict> verdict = new CompletableFuture<>();

    BindingCheck(long sequence, MobileNumber number, List<Platform> platforms) {
        this.sequence = sequence;
        this.number = number;
        this.platforms = platforms;
        this.answers = new BindingAnswer[platforms.size()];
        this.outstanding = platforms.size();
    }

    /** Position of the row in the run, used to make sure the batch holding it has been sent. */
    long sequence() {
        return sequence;
    }

    MobileNumber number() {
        return number;
    }

    /**
     * Records the answer of the platform at {@code platformIndex}. Only its first answer counts: a
     * second delivery can neither change it nor count the platform twice and complete the verdict early.
     */
    void answer(int platformIndex, BindingAnswer answer) {
        if (ANSWERS.compareAndSet(answers, platformIndex, null, Objects.requireNonNull(answer, "answer"))
                && OUTSTANDING.decrementAndGet(this) == 0) {
            verdict.complete(BindingVerdict.decide(platforms, answers));
        }
    }

    CompletableFuture<BindingVerdict> verdict() {
        return verdict;
    }

    /** The answers, readable once {@link #verdict()} is complete. */
    BindingAnswer[] answers() {
        return answers;
    }
}
