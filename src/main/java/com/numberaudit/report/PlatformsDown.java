package com.numberaudit.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.numberaudit.platform.BindingAnswer;

/**
 * The platforms that failed as a whole tonight ({@link BindingAnswer#platformWide}: credentials refused, circuit open,
 * no TLS handshake, a snapshot export missing or untrusted; or no usable answer at all, whatever the reasons, but for
 * numbers waiting on a ticket), with how many of their numbers got such a reason. The run
 * completes, its numbers are held, but someone must look: exit 3. Built from the audit step's persisted
 * {@link AuditTotals}, so a night killed and resumed, or a completed date run again, decides the same.
 *
 * @param reasons per platform id (sorted), its platform-wide reasons (sorted) and how many numbers each left unanswered
 */
public record PlatformsDown(Map<String, Map<String, Long>> reasons) {

    public static PlatformsDown of(AuditTotals totals) {
        Map<String, Map<String, Long>> down = new TreeMap<>();
        Map<String, Map<BindingAnswer.Status, Long>> answers = totals.answersByPlatform();
        totals.unansweredByPlatform().forEach((platform, byReason) -> {
            // a platform that answered nothing at all (refused connections on every batch of a night too small for its
            // circuit to open) was down as surely as one whose circuit opened; numbers waiting for tickets do not count
            Map<BindingAnswer.Status, Long> answered = answers.getOrDefault(platform, Map.of());
            boolean silent = answered.getOrDefault(BindingAnswer.Status.BOUND, 0L) + answered.getOrDefault(BindingAnswer.Status.NOT_BOUND, 0L) == 0;
            byReason.forEach((reason, count) -> {
                if (BindingAnswer.platformWide(reason) || silent && !BindingAnswer.waiting(reason)) {
                    down.computeIfAbsent(platform, id -> new TreeMap<>()).put(reason, count);
                }
            });
        });
        down.replaceAll((platform, byReason) -> Collections.unmodifiableMap(byReason));
        return new PlatformsDown(Collections.unmodifiableMap(down));
    }

    /** Whether any platform was down: the night needs a look. */
    public boolean any() {
        return !reasons.isEmpty();
    }

    /** One line per platform down, e.g. {@code platform jd was down: 1,234 numbers held (PLATFORM_DOWN:HTTP_401)}. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        reasons.forEach((platform, byReason) -> {
            long held = byReason.values().stream().mapToLong(Long::longValue).sum();
            List<String> why = new ArrayList<>();
            byReason.forEach((reason, count) -> why.add(byReason.size() == 1 ? reason : reason + " " + count(count)));
            lines.add("platform " + platform + " was down: " + count(held) + (held == 1 ? " number" : " numbers") + " held ("
                    + String.join(", ", why) + ")");
        });
        return lines;
    }

    private static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }
}
