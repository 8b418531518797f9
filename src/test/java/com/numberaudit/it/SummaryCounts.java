package com.numberaudit.it;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** summary.json without what differs between two runs of the same input: what is left must be equal. */
final class SummaryCounts {

    /** The fingerprint names the output folder; the times and the executions are the run's own. */
    private static final List<String> RUN_KEYS = List.of("fingerprint", "started", "finished", "durationSeconds", "executions");
    /** How a platform took the requests: as many as batching, retries and restarts made. */
    private static final List<String> REQUEST_KEYS = List.of("requests", "retries", "http429", "latencyMsP50", "latencyMsP99",
            "circuitOpenings", "concurrencyLimitLowest");

    private SummaryCounts() {
    }

    /** The totals, the rejected rows by reason, and each platform's answers and unanswered numbers by reason. */
    static JsonNode of(JsonNode summary) {
        ObjectNode counts = (ObjectNode) summary.deepCopy();
        counts.remove(RUN_KEYS);
        counts.get("platforms").forEach(platform -> ((ObjectNode) platform).remove(REQUEST_KEYS));
        return counts;
    }
}
