package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.numberaudit.TestBinding;
import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformSettings;

class BindingCheckTest {

    private static final List<Platform> TWO_PLATFORMS = List.of(platform("alipay"), platform("wechat"));

    @Test
    void aPlatformsSecondAnswerIsIgnoredSoItCannotCompleteTheVerdictEarly() {
        BindingCheck check = new BindingCheck(0, new MobileNumber(13832738807L), TWO_PLATFORMS);

        check.answer(0, BindingAnswer.noAnswer("ADAPTER_ERROR"));
        check.answer(0, BindingAnswer.NOT_BOUND);

        assertThat(check.verdict()).as("wechat has not answered").isNotDone();
        check.answer(1, BindingAnswer.NOT_BOUND);
        assertThat(check.verdict().join()).as("the first answer stands")
                .isEqualTo(new BindingVerdict(BindingVerdict.Outcome.UNDETERMINED, List.of("alipay"), "alipay:ADAPTER_ERROR"));
    }

    private static Platform platform(String id) {
        return new Platform(id, TestBinding.bind(PlatformSettings.class), null);
    }
}
