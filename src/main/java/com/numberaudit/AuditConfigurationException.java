package com.numberaudit;

import java.util.List;

/**
 * Bad configuration found at start-up. It carries every problem found, each naming its key, so an
 * operator fixes them all in one go. The run exits with 2.
 */
public class AuditConfigurationException extends RuntimeException {

    private final List<String> problems;

    public AuditConfigurationException(String problem) {
        this(List.of(problem));
    }

    public AuditConfigurationException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line each, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
