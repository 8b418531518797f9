package com.numberaudit.platform.simulator;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the simulator misbehaves for one platform, under {@code audit.simulator.faults.<id>}.
 * Every field defaults to "behave well", so a fault is switched on by naming it.
 *
 * @param errorStatus answer this HTTP status instead of results ...
 * @param errorRate   ... for this share of requests (1.0: always)
 * @param brokenJson  answer 200 with a body that is cut off mid-way
 * @param dropRate    leave this share of the asked ids out of the results (the same ids every time)
 * @param delay       wait this long before answering each request
 * @param hang        never answer
 * @param maxBatch    answer 413 to a request with more ids than this
 */
public record SimulatedFaults(
        @DefaultValue("0") int errorStatus,
        @DefaultValue("1.0") double errorRate,
        @DefaultValue("false") boolean brokenJson,
        @DefaultValue("0.0") double dropRate,
        @DefaultValue("0ms") Duration delay,
        @DefaultValue("false") boolean hang,
        @DefaultValue("500") int maxBatch) {

    public static final SimulatedFaults NONE = new SimulatedFaults(0, 1.0, false, 0.0, Duration.ZERO, false, 500);

    public SimulatedFaults withErrorStatus(int status, double rate) {
        return new SimulatedFaults(status, rate, brokenJson, dropRate, delay, hang, maxBatch);
    }

    public SimulatedFaults withBrokenJson() {
        return new SimulatedFaults(errorStatus, errorRate, true, dropRate, delay, hang, maxBatch);
    }

    public SimulatedFaults withDropRate(double rate) {
        return new SimulatedFaults(errorStatus, errorRate, brokenJson, rate, delay, hang, maxBatch);
    }

    public SimulatedFaults withDelay(Duration latency) {
        return new SimulatedFaults(errorStatus, errorRate, brokenJson, dropRate, latency, hang, maxBatch);
    }

    public SimulatedFaults withHang() {
        return new SimulatedFaults(errorStatus, errorRate, brokenJson, dropRate, delay, true, maxBatch);
    }
}
