package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** audit.deadline counts from the run's first start: a run resumed after a kill keeps the deadline it had. */
class AskAgainTest {

    @Test
    void aResumedRunKeepsTheDeadlineOfItsFirstStart() {
        AskAgain askAgain = AskAgain.until(Duration.ofHours(4));
        assertThat(askAgain.allowsAnotherTry()).as("4 h from now").isTrue();

        askAgain.from(Instant.now().minus(Duration.ofHours(3)));
        assertThat(askAgain.allowsAnotherTry()).as("begun 3 h ago: an hour left").isTrue();

        askAgain.from(Instant.now().minus(Duration.ofHours(4)).plusMillis(500));
        assertThat(askAgain.allowsAnotherTry()).as("begun 4 h ago less half a second: too little left for another try").isFalse();
    }

    @Test
    void noDeadlineAsksNothingAgain() {
        assertThat(AskAgain.until(Duration.ZERO).allowsAnotherTry()).isFalse();
    }
}
