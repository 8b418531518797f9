package com.numberaudit.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

import com.numberaudit.number.RejectReason;
import com.numberaudit.platform.BindingAnswer;

/**
 * Running totals of the audit step, kept in the step's execution context so that they are
 * committed with each chunk and survive a crash and restart exactly like the result files.
 * Counted by the step's one writer thread; the four verdict counts are volatile for the progress
 * log, which reads them from a thread of its own.
 */
public final class AuditTotals implements ItemStream {

    private static final String PREFIX = "totals.";
    /** The reason of a platform's answer that never came (as in undetermined.csv). */
    private static final String NOT_ASKED = "NOT_ASKED";

    private final List<String> platformIds;
    private volatile long clean;
    private volatile long bound;
    private volatile long undetermined;
    private volatile long rejectedRows;
    private long reaudited;
    private final EnumMap<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
    private final long[][] answers;
    /** Per platform (indexed like the ids): its NO_ANSWER answers by reason. */
    private final List<Map<String, Long>> noAnswerReasons = new ArrayList<>();

    public AuditTotals(List<String> platformIds) {
        this.platformIds = List.copyOf(platformIds);
        this.answers = new long[platformIds.size()][BindingAnswer.Status.values().length];
        platformIds.forEach(id -> noAnswerReasons.add(new TreeMap<>()));
    }

    public void countClean() {
        clean++;
    }

    public void countBound() {
        bound++;
    }

    public void countUndetermined() {
        undetermined++;
    }

    /** A number of the ledger's held set read tonight (also counted in the file it went to). */
    public void countReaudited() {
        reaudited++;
    }

    public void countRejected(RejectReason reason) {
        rejected.merge(reason, 1L, Long::sum);
        rejectedRows++;
    }

    /** Counts each platform's answer for one audited number; {@code answers} is indexed like the platform ids. */
    public void countAnswers(BindingAnswer[] platformAnswers) {
        for (int i = 0; i < platformAnswers.length; i++) {
            BindingAnswer answer = platformAnswers[i];
            answers[i][answer == null ? BindingAnswer.Status.NO_ANSWER.ordinal() : answer.status().ordinal()]++;
            if (answer == null || answer.status() == BindingAnswer.Status.NO_ANSWER) {
                noAnswerReasons.get(i).merge(answer == null ? NOT_ASKED : answer.reason(), 1L, Long::sum);
            }
        }
    }

    public long clean() {
        return clean;
    }

    public long bound() {
        return bound;
    }

    public long undetermined() {
        return undetermined;
    }

    public long reaudited() {
        return reaudited;
    }

    public long rejected() {
        return rejectedRows;
    }

    public long rows() {
        return clean + bound + undetermined + rejected();
    }

    public Map<RejectReason, Long> rejectedByReason() {
        return new EnumMap<>(rejected);
    }

    /** Per platform id: how many numbers it answered BOUND, NOT_BOUND, or gave no answer for. */
    public Map<String, Map<BindingAnswer.Status, Long>> answersByPlatform() {
        Map<String, Map<BindingAnswer.Status, Long>> byPlatform = new LinkedHashMap<>();
        for (int i = 0; i < platformIds.size(); i++) {
            Map<BindingAnswer.Status, Long> counts = new EnumMap<>(BindingAnswer.Status.class);
            for (BindingAnswer.Status status : BindingAnswer.Status.values()) {
                counts.put(status, answers[i][status.ordinal()]);
            }
            byPlatform.put(platformIds.get(i), counts);
        }
        return byPlatform;
    }

    /** Per platform id: its NO_ANSWER answers by reason (sorted), e.g. {@code PLATFORM_DOWN:HTTP_401=1234}. */
    public Map<String, Map<String, Long>> noAnswersByReason() {
        Map<String, Map<String, Long>> byPlatform = new LinkedHashMap<>();
        for (int i = 0; i < platformIds.size(); i++) {
            byPlatform.put(platformIds.get(i), new TreeMap<>(noAnswerReasons.get(i)));
        }
        return byPlatform;
    }

    @Override
    public void open(ExecutionContext context) {
        clean = context.getLong(PREFIX + "clean", 0L);
        bound = context.getLong(PREFIX + "bound", 0L);
        undetermined = context.getLong(PREFIX + "undetermined", 0L);
        reaudited = context.getLong(PREFIX + "reaudited", 0L);
        rejected.clear();
        for (RejectReason reason : RejectReason.values()) {
            long count = context.getLong(PREFIX + "rejected." + reason, 0L);
            if (count > 0) {
                rejected.put(reason, count);
            }
        }
        rejectedRows = rejected.values().stream().mapToLong(Long::longValue).sum();
        for (int i = 0; i < platformIds.size(); i++) {
            for (BindingAnswer.Status status : BindingAnswer.Status.values()) {
                answers[i][status.ordinal()] = context.getLong(platformKey(i, status), 0L);
            }
            String reasons = reasonKey(i, "");
            Map<String, Long> byReason = noAnswerReasons.get(i);
            byReason.clear();
            context.entrySet().stream().filter(entry -> entry.getKey().startsWith(reasons)).forEach(entry ->
                    byReason.put(entry.getKey().substring(reasons.length()), ((Number) entry.getValue()).longValue()));
        }
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(PREFIX + "clean", clean);
        context.putLong(PREFIX + "bound", bound);
        context.putLong(PREFIX + "undetermined", undetermined);
        context.putLong(PREFIX + "reaudited", reaudited);
        rejected.forEach((reason, count) -> context.putLong(PREFIX + "rejected." + reason, count));
        for (int i = 0; i < platformIds.size(); i++) {
            for (BindingAnswer.Status status : BindingAnswer.Status.values()) {
                context.putLong(platformKey(i, status), answers[i][status.ordinal()]);
            }
            int platform = i;
            noAnswerReasons.get(i).forEach((reason, count) -> context.putLong(reasonKey(platform, reason), count));
        }
    }

    private String platformKey(int index, BindingAnswer.Status status) {
        return PREFIX + "platform." + platformIds.get(index) + "." + status;
    }

    /** A reason is a token (letters, digits, {@code _:.-}), a platform id has no dot: the key names both. */
    private String reasonKey(int index, String reason) {
        return PREFIX + "no-answer." + platformIds.get(index) + "." + reason;
    }

    /** Reads the totals a finished (or interrupted) audit step left in its execution context. */
    public static AuditTotals from(ExecutionContext context, List<String> platformIds) {
        AuditTotals totals = new AuditTotals(platformIds);
        totals.open(context);
        return totals;
    }
}
