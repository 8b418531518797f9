package com.numberaudit.demo;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code audit.simulator}: the built-in Binding Check API server for demos and tests. It answers
 * only when no enabled platform is real (has a {@code url} or another adapter).
 *
 * @param enabled  serve the enabled platforms from the simulator when none of them is real
 * @param port     loopback port to listen on (0: any free port)
 * @param bindings the demo file of bound numbers ({@code classpath:} or {@code file:})
 * @param faults   per platform id, how to misbehave
 * @param tickets  a folder where the simulator keeps the tickets of the ids its bindings say PENDING, so that the
 *                 simulator of a later run answers them (a platform that answers days later); none: kept in memory
 */
@ConfigurationProperties("audit.simulator")
public record SimulatorSettings(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("0") int port,
        @DefaultValue("classpath:demo/demo-bindings.csv") String bindings,
        Map<String, SimulatedFaults> faults,
        Path tickets) {

    public SimulatedFaults faultsFor(String platformId) {
        return faults == null ? SimulatedFaults.NONE : faults.getOrDefault(platformId, SimulatedFaults.NONE);
    }
}
