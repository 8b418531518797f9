package com.numberaudit.ledger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.numberaudit.platform.BindingAnswer;

/**
 * One number's line in a trail page: {@code <number> <seq> <state> <input|ledger>[ <platform>=<answer>]...},
 * e.g. {@code 13832738807 17 BOUND ledger alipay=BOUND:2 jd=HTTP_500}. Every platform of the night
 * that is not listed answered NOT_BOUND; an answer is {@code BOUND:<accounts>} or the reason there was
 * none ({@code HTTP_500}, {@code PENDING}, …).
 *
 * @param number    the 11-digit national form
 * @param seq       the number's place in the night
 * @param state     where the night left it
 * @param reaudited from the held set rather than from the night's input
 * @param answers   platform id to answer, for every platform that did not answer NOT_BOUND, in the night's order
 */
record TrailLine(String number, long seq, LedgerState state, boolean reaudited, Map<String, String> answers) {

    static final String NOT_BOUND = "NOT_BOUND";
    private static final String INPUT = "input";
    private static final String LEDGER = "ledger";

    static void append(StringBuilder page, LedgerEntry entry, LedgerState state, List<String> platformIds) {
        page.append(entry.number().digits()).append(' ').append(entry.seq()).append(' ').append(state.name()).append(' ')
                .append(entry.reaudited() ? LEDGER : INPUT);
        if (state != LedgerState.CLEAN) {
            BindingAnswer[] answers = entry.answers();
            for (int p = 0; p < answers.length; p++) {
                if (answers[p] == null || answers[p].status() != BindingAnswer.Status.NOT_BOUND) {
                    page.append(' ').append(platformIds.get(p)).append('=');
                    appendAnswer(page, answers[p]);
                }
            }
        }
        page.append('\n');
    }

    /** {@code BOUND:2}, or the reason there is no answer. */
    static void appendAnswer(StringBuilder text, BindingAnswer answer) {
        if (answer == null) {
            text.append("NOT_ASKED");
        } else if (answer.status() == BindingAnswer.Status.BOUND) {
            text.append("BOUND:").append(answer.accounts());
        } else if (answer.status() == BindingAnswer.Status.NOT_BOUND) {
            text.append(NOT_BOUND);
        } else {
            text.append(answer.reason());
        }
    }

    /** The lines of {@code page} for {@code number} (a page holds each number of its chunk once). */
    static List<TrailLine> find(String page, String number) {
        List<TrailLine> found = new ArrayList<>();
        int at = 0;
        while ((at = page.indexOf(number + ' ', at)) >= 0) {
            if (at == 0 || page.charAt(at - 1) == '\n') {
                int end = page.indexOf('\n', at);
                found.add(parse(page.substring(at, end < 0 ? page.length() : end)));
            }
            at += number.length();
        }
        return found;
    }

    static TrailLine parse(String line) {
        String[] fields = line.split(" ");
        Map<String, String> answers = new LinkedHashMap<>();
        for (int i = 4; i < fields.length; i++) {
            int equals = fields[i].indexOf('=');
            answers.put(fields[i].substring(0, equals), fields[i].substring(equals + 1));
        }
        return new TrailLine(fields[0], Long.parseLong(fields[1]), LedgerState.valueOf(fields[2]), fields[3].equals(LEDGER), answers);
    }

    /** What {@code platform} answered: NOT_BOUND unless the line names it. */
    String answerOf(String platform) {
        return answers.getOrDefault(platform, NOT_BOUND);
    }
}
