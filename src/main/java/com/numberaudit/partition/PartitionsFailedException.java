package com.numberaudit.partition;

/** The partitioned step gave up: its message names each partition that failed, why, and what became of the others. */
public class PartitionsFailedException extends RuntimeException {

    public PartitionsFailedException(String message) {
        super(message);
    }
}
