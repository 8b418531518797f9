package com.numberaudit.audit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import sun.misc.Signal;

/**
 * SIGTERM (what systemd and Kubernetes send) and SIGINT stop the run at the next chunk boundary:
 * the reader stops reading ahead, the chunk under way is written and committed, and Spring Batch
 * marks the execution STOPPED, which the same command resumes. A second signal stops at once,
 * like {@code kill -9}, which a restart also survives.
 * <p>
 * The signals are handled rather than left to a shutdown hook: a hook runs while the JVM is
 * already going down (Spring's context closing under the running chunk, the exit code forced to 143).
 */
@Component
public final class StopRequest implements StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(StopRequest.class);

    private volatile String signal;
    private volatile StepExecution running;
    private final List<Runnable> onRequest = new CopyOnWriteArrayList<>();

    /** Handles SIGTERM and SIGINT from now on. */
    public void install() {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), received -> request("SIG" + received.getName()));
            } catch (IllegalArgumentException e) {
                // the JVM keeps the signal to itself (-Xrs): it ends the run as it always did, and a restart resumes it
                log.warn("SIG{} cannot be handled here ({}); it will end the run at once", name, e.getMessage());
            }
        }
    }

    /** Also runs {@code action} on the first request (a worker stops taking partitions from the queue). */
    public void whenRequested(Runnable action) {
        onRequest.add(action);
    }

    void request(String cause) {
        if (signal != null) {
            System.err.println("number-audit: " + cause + " again: stopping at once; run the same command to resume from the last commit");
            Runtime.getRuntime().halt(1);
        }
        signal = cause;
        log.warn("{}: stopping at the next chunk boundary (send it again to stop at once)", cause);
        StepExecution step = running;
        if (step != null) {
            step.setTerminateOnly();
        }
        onRequest.forEach(Runnable::run);
    }

    public boolean requested() {
        return signal != null;
    }

    /** What asked the run to stop, e.g. {@code SIGTERM}; null while nothing did. */
    public String cause() {
        return signal;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        running = stepExecution;
        if (requested()) {
            stepExecution.setTerminateOnly();
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        running = null;
        return null;
    }
}
