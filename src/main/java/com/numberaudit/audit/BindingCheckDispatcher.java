package com.numberaudit.audit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;

/** Hands every number to every enabled platform's {@link PlatformChannel}. */
public final class BindingCheckDispatcher {

    private final List<Platform> platforms;
    private final List<PlatformChannel> channels = new ArrayList<>();
    private final StallGuard stallGuard;

    public BindingCheckDispatcher(PlatformRegistry registry, LocalDate asOf) {
        this.platforms = registry.platforms();
        this.stallGuard = StallGuard.of(platforms);
        for (int i = 0; i < platforms.size(); i++) {
            channels.add(new PlatformChannel(i, platforms.get(i), registry.adapter(i), asOf, registry.noAnswers(), stallGuard));
        }
    }

    public List<Platform> platforms() {
        return platforms;
    }

    BindingCheck start(MobileNumber number, long sequence) {
        BindingCheck check = new BindingCheck(sequence, number, platforms);
        for (PlatformChannel channel : channels) {
            channel.submit(check);
        }
        return check;
    }

    /** Makes sure every row up to {@code sequence} is on its way to every platform. */
    void sendUpTo(long sequence) {
        channels.forEach(channel -> channel.sendUpTo(sequence));
    }

    void flush() {
        channels.forEach(PlatformChannel::flush);
    }

    /** The verdict of {@code check}; fails when no platform has answered for longer than the stall bound. */
    BindingVerdict await(BindingCheck check) throws InterruptedException, ExecutionException {
        return stallGuard.await(check, this::owing);
    }

    /** e.g. {@code wechat (3 batches)}: the platforms with batches sent or queued and not yet answered. */
    private String owing() {
        List<String> owing = new ArrayList<>();
        for (PlatformChannel channel : channels) {
            int batches = channel.unanswered();
            if (batches > 0) {
                owing.add(channel.platformId() + " (" + batches + (batches == 1 ? " batch)" : " batches)"));
            }
        }
        return String.join(", ", owing);
    }
}
