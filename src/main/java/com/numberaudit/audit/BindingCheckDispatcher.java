package com.numberaudit.audit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;

/** Hands every number to every enabled platform's {@link PlatformChannel}. */
public final class BindingCheckDispatcher {

    private final List<Platform> platforms;
    private final List<PlatformChannel> channels = new ArrayList<>();

    public BindingCheckDispatcher(PlatformRegistry registry, LocalDate asOf) {
        this.platforms = registry.platforms();
        for (int i = 0; i < platforms.size(); i++) {
            channels.add(new PlatformChannel(i, platforms.get(i), registry.adapter(i), asOf, registry.noAnswers()));
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
}
