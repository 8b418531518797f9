package com.numberaudit.platform.simulator;

import java.util.Map;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code audit.simulator}: the built-in Binding Check API server for demos and tests.
 *
 * @param enabled  serve every enabled platform that has no {@code url} of its own
 * @param port     loopback port to listen on (0: any free port)
 * @param bindings the demo file of bound numbers ({@code classpath:} or {@code file:})
 * @param faults   per platform id, how to misbehave
 */
public record SimulatorSettings(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("0") int port,
        @DefaultValue("classpath:simulator/demo-bindings.csv") String bindings,
        Map<String, SimulatedFaults> faults) {

    public SimulatedFaults faultsFor(String platformId) {
        return faults == null ? SimulatedFaults.NONE : faults.getOrDefault(platformId, SimulatedFaults.NONE);
    }
}
