package com.numberaudit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file in the Prometheus text exposition format (0.0.4), read strictly: every line is a {@code # HELP} or
 * {@code # TYPE} comment, or one sample {@code name{label="value",…} value}, as node_exporter's textfile collector
 * and a Pushgateway accept it.
 *
 * @param samples every sample, in the file's order
 */
public record PrometheusText(List<Sample> samples) {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\"\\\\n])*)\"";
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(" + LABEL + "(?:," + LABEL + ")*)})? "
            + "([-+]?(?:NaN|Inf|[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?))");
    private static final Pattern ONE_LABEL = Pattern.compile(LABEL);
    private static final Pattern COMMENT = Pattern.compile("# (?:HELP " + NAME + " .*|TYPE " + NAME
            + " (?:counter|gauge|summary|histogram|untyped))");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** @throws IllegalArgumentException naming the first line that is neither a comment nor a sample, or repeats a sample */
    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.endsWith("\n") ? text.substring(0, text.length() - 1).split("\n", -1) : text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches()) {
                Map<String, String> labels = new LinkedHashMap<>();
                Matcher label = ONE_LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
                Sample parsed = new Sample(sample.group(1), labels, Double.parseDouble(sample.group(7).replace("Inf", "Infinity")));
                if (samples.stream().anyMatch(earlier -> earlier.name().equals(parsed.name()) && earlier.labels().equals(labels))) {
                    throw new IllegalArgumentException("line " + (i + 1) + " repeats a sample: " + line);
                }
                samples.add(parsed);
            } else if (!COMMENT.matcher(line).matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " is neither a comment nor a sample: " + line);
            }
        }
        return new PrometheusText(samples);
    }

    /**
     * The value of the sample with this name and exactly these labels, in any order; fails when there is none.
     *
     * @param labels alternating label names and values
     */
    public double value(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(sample -> sample.name().equals(name) && sample.labels().equals(wanted)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + wanted + " among " + samples.size() + " samples"))
                .value();
    }
}
