package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.numberaudit.audit.BindingVerdict.Outcome;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformSettings;
import com.numberaudit.TestBinding;

class BindingVerdictTest {

    private static final List<Platform> PLATFORMS = List.of(platform("alipay"), platform("qq"), platform("wechat"));
    private static final BindingAnswer NOT_BOUND = BindingAnswer.NOT_BOUND;

    @Test
    void everyPlatformNotBoundIsClean() {
        BindingVerdict verdict = decide(NOT_BOUND, NOT_BOUND, NOT_BOUND);

        assertThat(verdict).isEqualTo(new BindingVerdict(Outcome.CLEAN, List.of(), null));
    }

    @Test
    void anyBoundIsBoundAndListsOnlyTheBoundPlatformsSorted() {
        BindingVerdict verdict = decide(BindingAnswer.bound(1), BindingAnswer.noAnswer("TIMEOUT"), BindingAnswer.bound(3));

        assertThat(verdict.outcome()).isEqualTo(Outcome.BOUND);
        assertThat(verdict.platforms()).containsExactly("alipay", "wechat");
        assertThat(verdict.reason()).isNull();
    }

    @Test
    void boundWinsOverUnansweredSlots() {
        BindingVerdict verdict = decide(null, BindingAnswer.bound(1), NOT_BOUND);

        assertThat(verdict).isEqualTo(new BindingVerdict(Outcome.BOUND, List.of("qq"), null));
    }

    @Test
    void oneNoAnswerIsUndeterminedNamingThePlatformAndReason() {
        BindingVerdict verdict = decide(NOT_BOUND, BindingAnswer.noAnswer("HTTP_503"), NOT_BOUND);

        assertThat(verdict).isEqualTo(new BindingVerdict(Outcome.UNDETERMINED, List.of("qq"), "qq:HTTP_503"));
    }

    @Test
    void severalUnansweredPlatformsAreAllNamed() {
        BindingVerdict verdict = decide(BindingAnswer.noAnswer("TIMEOUT"), NOT_BOUND, BindingAnswer.noAnswer("MISSING_ID"));

        assertThat(verdict).isEqualTo(new BindingVerdict(Outcome.UNDETERMINED, List.of("alipay", "wechat"),
                "alipay:TIMEOUT;wechat:MISSING_ID"));
    }

    @Test
    void slotWithoutAnswerIsNeverCleanButNotAsked() {
        BindingVerdict verdict = decide(NOT_BOUND, NOT_BOUND, null);

        assertThat(verdict).isEqualTo(new BindingVerdict(Outcome.UNDETERMINED, List.of("wechat"), "wechat:NOT_ASKED"));
    }

    @Test
    void cleanIffEveryAnswerIsNotBoundOverTenThousandRandomCases() {
        Random random = new Random(86L);
        int clean = 0;
        for (int n = 0; n < 10_000; n++) {
            BindingAnswer[] answers = new BindingAnswer[PLATFORMS.size()];
            for (int i = 0; i < answers.length; i++) {
                answers[i] = randomAnswer(random);
            }
            boolean allNotBound = true;
            boolean anyBound = false;
            List<String> bound = new ArrayList<>();
            for (int i = 0; i < answers.length; i++) {
                allNotBound &= answers[i] != null && answers[i].status() == BindingAnswer.Status.NOT_BOUND;
                if (answers[i] != null && answers[i].status() == BindingAnswer.Status.BOUND) {
                    anyBound = true;
                    bound.add(PLATFORMS.get(i).id());
                }
            }

            BindingVerdict verdict = BindingVerdict.decide(PLATFORMS, answers);

            assertThat(verdict.outcome() == Outcome.CLEAN).as("case %d: %s", n, Arrays.toString(answers)).isEqualTo(allNotBound);
            assertThat(verdict.outcome() == Outcome.BOUND).as("case %d", n).isEqualTo(anyBound);
            if (anyBound) {
                assertThat(verdict.platforms()).isEqualTo(bound);
            }
            clean += allNotBound ? 1 : 0;
        }
        // the draw must exercise both sides of the rule, or the loop above proves nothing
        assertThat(clean).isBetween(1_000, 9_000);
    }

    private static BindingAnswer randomAnswer(Random random) {
        int roll = random.nextInt(100);
        if (roll < 80) {
            return NOT_BOUND;
        }
        if (roll < 87) {
            return BindingAnswer.bound(random.nextInt(3));
        }
        if (roll < 95) {
            return BindingAnswer.noAnswer("TIMEOUT");
        }
        return null;
    }

    private static BindingVerdict decide(BindingAnswer... answers) {
        return BindingVerdict.decide(PLATFORMS, answers);
    }

    private static Platform platform(String id) {
        PlatformSettings settings = TestBinding.bind(PlatformSettings.class);
        return new Platform(id, settings, URI.create("http://127.0.0.1:8080/platforms/" + id));
    }
}
