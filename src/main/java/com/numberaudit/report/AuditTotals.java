package com.numberaudit.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

import com.numberaudit.ledger.NightComparison;
import com.numberaudit.number.RejectReason;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.RequestCounts;
import com.numberaudit.platform.RequestMeters;

/**
 * Running totals of the audit step, kept in the step's execution context so that they are
 * committed with each chunk and survive a crash and restart exactly like the result files:
 * the numbers by verdict, the rejected rows by reason, each platform's answers (its unanswered
 * numbers by reason), and each platform's {@link RequestCounts} up to the chunk committed.
 * Counted by the step's one writer thread; the verdict counts and the rejected rows are volatile
 * for the progress log, which reads them from a thread of its own.
 */
public final class AuditTotals implements ItemStream {

    private static final String PREFIX = "totals.";
    /** Every key the totals keep in an execution context begins with this. */
    public static final String KEY_PREFIX = PREFIX;
    private static final String UNANSWERED = "unanswered.";
    private static final String REQUESTS = "requests";
    private static final String RETRIES = "retries";
    private static final String HTTP_429 = "http429";
    private static final String CIRCUIT_OPENINGS = "circuitOpenings";

    private final List<String> platformIds;
    /** Null when the totals are only read back ({@link #from}). */
    private final RequestMeters requestMeters;
    private volatile long clean;
    private volatile long bound;
    private volatile long undetermined;
    private volatile long rejectedRows;
    private long reaudited;
    private final EnumMap<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
    private final long[][] answers;
    /** Per platform index: its unanswered numbers by reason. */
    private final List<Map<String, Long>> unanswered = new ArrayList<>();
    private final RequestCounts[] requests;
    /**
     * Per platform index: the requests this process had sent before these totals were made (the step built), which
     * belong to another step. A worker that runs partition p0 and then p2 counts p0's requests in p0 only. Taken when
     * the step is built, not at {@link #open}: the step's own ticket polls come before its open.
     */
    private final RequestCounts[] sentBefore;

    /** @param requestMeters the platforms' request counters, whose counts are committed with each chunk */
    public AuditTotals(List<String> platformIds, RequestMeters requestMeters) {
        this.platformIds = List.copyOf(platformIds);
        this.requestMeters = requestMeters;
        this.answers = new long[platformIds.size()][BindingAnswer.Status.values().length];
        this.requests = new RequestCounts[platformIds.size()];
        this.sentBefore = new RequestCounts[platformIds.size()];
        for (int i = 0; i < platformIds.size(); i++) {
            unanswered.add(new TreeMap<>());
            requests[i] = RequestCounts.NONE;
            sentBefore[i] = requestMeters == null ? RequestCounts.NONE : requestMeters.of(platformIds.get(i)).thisProcess();
        }
    }

    /**
     * The totals of two steps of one night (two partitions), added up: every count, each platform's answers, unanswered
     * reasons and requests. Only read back, like {@link #from}.
     *
     * @throws IllegalArgumentException when they count other platforms
     */
    public AuditTotals plus(AuditTotals other) {
        if (!platformIds.equals(other.platformIds)) {
            throw new IllegalArgumentException("totals of other platforms: " + platformIds + " and " + other.platformIds);
        }
        AuditTotals sum = new AuditTotals(platformIds, null);
        sum.clean = clean + other.clean;
        sum.bound = bound + other.bound;
        sum.undetermined = undetermined + other.undetermined;
        sum.reaudited = reaudited + other.reaudited;
        sum.rejectedRows = rejectedRows + other.rejectedRows;
        sum.rejected.putAll(rejected);
        other.rejected.forEach((reason, count) -> sum.rejected.merge(reason, count, Long::sum));
        for (int i = 0; i < platformIds.size(); i++) {
            for (int status = 0; status < answers[i].length; status++) {
                sum.answers[i][status] = answers[i][status] + other.answers[i][status];
            }
            Map<String, Long> reasons = sum.unanswered.get(i);
            reasons.putAll(unanswered.get(i));
            other.unanswered.get(i).forEach((reason, count) -> reasons.merge(reason, count, Long::sum));
            sum.requests[i] = requests[i].plus(other.requests[i]);
        }
        return sum;
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
            BindingAnswer.Status status = answer == null ? BindingAnswer.Status.NO_ANSWER : answer.status();
            answers[i][status.ordinal()]++;
            if (status == BindingAnswer.Status.NO_ANSWER) {
                unanswered.get(i).merge(answer == null ? BindingAnswer.NOT_ASKED : answer.reason(), 1L, Long::sum);
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

    /** The night's totals as the ledger keeps them for the next night's report. */
    public NightComparison.Counts nightCounts() {
        Map<String, NightComparison.PlatformCounts> platforms = new TreeMap<>();
        for (int i = 0; i < platformIds.size(); i++) {
            platforms.put(platformIds.get(i), new NightComparison.PlatformCounts(answers[i][BindingAnswer.Status.BOUND.ordinal()],
                    answers[i][BindingAnswer.Status.NO_ANSWER.ordinal()]));
        }
        return new NightComparison.Counts(clean, bound, undetermined, rejectedRows, platforms);
    }

    /** Per platform id: its unanswered numbers by reason ({@code HTTP_500}, {@code CIRCUIT_OPEN}, …), sorted by reason. */
    public Map<String, Map<String, Long>> unansweredByPlatform() {
        Map<String, Map<String, Long>> byPlatform = new LinkedHashMap<>();
        for (int i = 0; i < platformIds.size(); i++) {
            byPlatform.put(platformIds.get(i), new TreeMap<>(unanswered.get(i)));
        }
        return byPlatform;
    }

    /** Per platform id: the requests of the run, as its last committed chunk left them. */
    public Map<String, RequestCounts> requestsByPlatform() {
        Map<String, RequestCounts> byPlatform = new LinkedHashMap<>();
        for (int i = 0; i < platformIds.size(); i++) {
            byPlatform.put(platformIds.get(i), requests[i]);
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
            unanswered.get(i).clear();
            String reasons = platformKey(i, UNANSWERED);
            for (Map.Entry<String, Object> entry : context.entrySet()) {
                if (entry.getKey().startsWith(reasons)) {
                    unanswered.get(i).put(entry.getKey().substring(reasons.length()), ((Number) entry.getValue()).longValue());
                }
            }
            requests[i] = new RequestCounts(context.getLong(platformKey(i, REQUESTS), 0L), context.getLong(platformKey(i, RETRIES), 0L),
                    context.getLong(platformKey(i, HTTP_429), 0L), context.getLong(platformKey(i, CIRCUIT_OPENINGS), 0L));
            if (requestMeters != null) {
                requestMeters.of(platformIds.get(i)).carryOver(requests[i]);
            }
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
            unanswered.get(i).forEach((reason, count) -> context.putLong(platformKey(platform, UNANSWERED) + reason, count));
            if (requestMeters != null) {
                // what earlier processes of this step committed, and what this process sent since the step was built
                requests[i] = requestMeters.of(platformIds.get(i)).counts().minus(sentBefore[i]);
            }
            context.putLong(platformKey(i, REQUESTS), requests[i].requests());
            context.putLong(platformKey(i, RETRIES), requests[i].retries());
            context.putLong(platformKey(i, HTTP_429), requests[i].http429());
            context.putLong(platformKey(i, CIRCUIT_OPENINGS), requests[i].circuitOpenings());
        }
    }

    private String platformKey(int index, BindingAnswer.Status status) {
        return platformKey(index, status.name());
    }

    private String platformKey(int index, String what) {
        return PREFIX + "platform." + platformIds.get(index) + "." + what;
    }

    /** Reads the totals a finished (or interrupted) audit step left in its execution context. */
    public static AuditTotals from(ExecutionContext context, List<String> platformIds) {
        AuditTotals totals = new AuditTotals(platformIds, null);
        totals.open(context);
        return totals;
    }
}
