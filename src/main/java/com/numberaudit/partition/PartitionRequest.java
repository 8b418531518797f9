package com.numberaudit.partition;

import tools.jackson.databind.json.JsonMapper;

/**
 * The message a manager sends for each partition (JSON text, so nothing is deserialised into Java objects): which
 * step execution to run, of which job execution, and the night it belongs to, for the worker's log.
 */
public record PartitionRequest(long jobExecutionId, long stepExecutionId, String stepName, String date, long rerun) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    /** @throws IllegalArgumentException text that is no partition request */
    public static PartitionRequest fromJson(String json) {
        try {
            return JSON.readValue(json, PartitionRequest.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a partition request: " + e.getMessage(), e);
        }
    }
}
