package com.numberaudit.audit;

import java.util.ArrayList;
import java.util.List;

import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.Platform;

/**
 * What the run concludes for one number, by the one rule: CLEAN only if every enabled platform
 * answered NOT_BOUND; BOUND if any answered BOUND; otherwise UNDETERMINED.
 *
 * @param outcome   the verdict
 * @param platforms BOUND: the platforms holding a binding; UNDETERMINED: those without a usable answer;
 *                  CLEAN: empty. Sorted by id.
 * @param reason    UNDETERMINED only: {@code <id>:<reason>} per platform, joined by {@code ;}
 */
public record BindingVerdict(Outcome outcome, List<String> platforms, String reason) {

    public enum Outcome { CLEAN, BOUND, UNDETERMINED }

    private static final BindingVerdict CLEAN = new BindingVerdict(Outcome.CLEAN, List.of(), null);

    /**
     * @param platforms the enabled platforms, sorted by id
     * @param answers   the answer of each platform, by the same index; null where none arrived
     */
    public static BindingVerdict decide(List<Platform> platforms, BindingAnswer[] answers) {
        if (platforms.isEmpty() || answers.length != platforms.size()) {
            throw new IllegalStateException("a verdict needs one answer slot per enabled platform");
        }
        if (allNotBound(answers)) {
            return CLEAN;
        }
        List<String> bound = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        StringBuilder reasons = new StringBuilder();
        for (int i = 0; i < answers.length; i++) {
            BindingAnswer answer = answers[i];
            String id = platforms.get(i).id();
            if (answer != null && answer.status() == BindingAnswer.Status.BOUND) {
                bound.add(id);
            } else if (answer == null || answer.status() != BindingAnswer.Status.NOT_BOUND) {
                unanswered.add(id);
                reasons.append(reasons.isEmpty() ? "" : ";").append(id).append(':')
                        .append(answer == null ? BindingAnswer.NOT_ASKED : answer.reason());
            }
        }
        return bound.isEmpty() ? new BindingVerdict(Outcome.UNDETERMINED, unanswered, reasons.toString())
                : new BindingVerdict(Outcome.BOUND, bound, null);
    }

    /** The common case, decided without building the lists. */
    private static boolean allNotBound(BindingAnswer[] answers) {
        for (BindingAnswer answer : answers) {
            if (answer == null || answer.status() != BindingAnswer.Status.NOT_BOUND) {
                return false;
            }
        }
        return true;
    }
}
