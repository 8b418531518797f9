package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.numberaudit.demo.AnswerLayout;
import com.numberaudit.platform.BindingCheckJson.Result;
import com.numberaudit.platform.BindingCheckJsonTest.ResultList;

/**
 * The plain reader must never disagree with Jackson: whenever it accepts a body, the answers are
 * exactly those Jackson alone gives; and it must accept every plain body in any layout (else the
 * job pays Jackson's cost per entry). Checked on seeded random bodies in every layout, legal and
 * mutated.
 */
class PlainResultsTest {

    private static final String SPACE = " \t\n\r";

    @ParameterizedTest
    @EnumSource(AnswerLayout.class)
    void acceptsEveryLayoutOfTheSimulatorAndReadsItAsJacksonDoes(AnswerLayout layout) {
        Random random = new Random(20261128);
        for (int i = 0; i < 500; i++) {
            List<Result> sent = new ArrayList<>();
            int count = random.nextInt(40);
            for (int e = 0; e < count; e++) {
                boolean bound = random.nextInt(10) == 0;
                sent.add(new Result(randomId(random), bound ? "BOUND" : "NOT_BOUND", bound ? random.nextInt(1_000) : 0));
            }
            byte[] body = layout.write(sent);

            List<Result> plain = new ArrayList<>();
            assertThat(PlainResults.read(body, new BindingCheckJson.ResultView(), new ResultList(plain)))
                    .as(new String(body, StandardCharsets.UTF_8)).isTrue();
            assertThat(plain).isEqualTo(jackson(body)).isEqualTo(sent);
        }
    }

    @Test
    void acceptsAnyPlainLayoutAndReadsItAsJacksonDoes() {
        Random random = new Random(20261130);
        for (int i = 0; i < 5_000; i++) {
            List<Result> sent = compactResults(random);
            byte[] body = anyLayout(sent, random, false).getBytes(StandardCharsets.UTF_8);

            List<Result> plain = new ArrayList<>();
            assertThat(PlainResults.read(body, new BindingCheckJson.ResultView(), new ResultList(plain)))
                    .as(new String(body, StandardCharsets.UTF_8)).isTrue();
            assertThat(plain).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(jackson(body)).isEqualTo(sent);
        }
    }

    @Test
    void neverDisagreesWithJacksonOnBodiesInAnyLayoutLegalOrNot() {
        Random random = new Random(20261129);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            List<Result> sent = compactResults(random);
            List<byte[]> asked = sent.stream().map(result -> result.id().getBytes(StandardCharsets.US_ASCII)).toList();
            String laidOut = random.nextInt(4) == 0
                    ? new String(AnswerLayout.values()[random.nextInt(AnswerLayout.values().length)].write(sent), StandardCharsets.UTF_8)
                    : anyLayout(sent, random, true);
            String changed = switch (random.nextInt(4)) {
                case 0 -> giveAKeyTwice(laidOut, sent, random);
                case 1 -> mutate(mutate(laidOut, random), random);
                case 2 -> mutate(laidOut, random);
                default -> laidOut;
            };
            byte[] body = changed.getBytes(StandardCharsets.UTF_8);

            assertThat(answers(asked, sink -> BindingCheckJson.readResults(body, sink)))
                    .as(new String(body, StandardCharsets.UTF_8))
                    .isEqualTo(answers(asked, sink -> BindingCheckJson.readAnyResults(body, sink)));
            if (PlainResults.read(body, new BindingCheckJson.ResultView(), new ResultList(new ArrayList<>()))) {
                accepted++;
            } else {
                refused++;
            }
        }
        assertThat(refused).as("escapes, keys given twice, broken JSON: left to Jackson").isGreaterThan(5_000);
        assertThat(accepted).as("plain bodies, legal changes (other ids, statuses, white space)").isGreaterThan(4_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "{\"results\":[{\"id\":\"\\u002B8613832738807\",\"status\":\"BOUND\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"st\\u0061tus\":\"BOUND\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"note\":\"caf\u00e9\"}]}",
            "\ufeff{\"results\":[]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":012}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":1234567890}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":-1}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":2.0}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":\"2\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":true}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\",\"since\":1,\"since\":2}]}",
            "{\"results\":[],\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"}]}",
            "{\"next\":1,\"results\":[],\"next\":2}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"}]} x",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"},]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\",}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"}]",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\",\"x\":01}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\",\"x\":[1,]}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\",\"x\":nul}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\",\"x\":\"a\tb\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"}]}\u000b",
            "{\"results\":[\"+8613832738807\"]}",
            "{\"results\":{}}",
            "{}"
    })
    void leavesEverythingElseToJackson(String body) {
        assertThat(PlainResults.read(body.getBytes(StandardCharsets.UTF_8), new BindingCheckJson.ResultView(),
                new ResultList(new ArrayList<>()))).isFalse();
    }

    /** What it reads itself, as the contract says: a key given twice is no answer, an unknown status is no answer. */
    @Test
    void readsAnEntryWithAKnownKeyGivenTwiceOrAnUnknownStatusAsNoAnswerAsJacksonDoes() {
        String body = "{ \"results\" : [ {\"id\": \"+8613832738807\", \"status\": \"BOUND\", \"status\": \"NOT_BOUND\"},"
                + "{\"accounts\": 1, \"id\": \"+8613912345678\", \"status\": \"BOUND\", \"accounts\": 0},"
                + "{\"id\": \"+8615000000001\", \"Status\": \"NOT_BOUND\"},"
                + "{\"id\": \"+8615000000002\", \"status\": \"not_bound\"},"
                + "{\"ID\": \"+8615000000003\", \"status\": \"NOT_BOUND\"},"
                + "{\"status\": \"NOT_BOUND\", \"accounts\": 2, \"id\": \"+8615000000004\"} ] }";
        List<Result> plain = new ArrayList<>();

        assertThat(PlainResults.read(body.getBytes(StandardCharsets.UTF_8), new BindingCheckJson.ResultView(), new ResultList(plain)))
                .isTrue();
        assertThat(plain).isEqualTo(jackson(body.getBytes(StandardCharsets.UTF_8))).containsExactly(
                new Result("+8613832738807", "NO_ANSWER", 0),
                new Result("+8613912345678", "NO_ANSWER", 0),
                new Result("+8615000000001", "NO_ANSWER", 0),
                new Result("+8615000000002", "NO_ANSWER", 0),
                new Result("+8615000000004", "NO_ANSWER", 2));
    }

    private static String randomId(Random random) {
        if (random.nextBoolean()) {
            return "+86" + (13_000_000_000L + (long) (random.nextDouble() * 6_999_999_999L));
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            hex.append("0123456789abcdef".charAt(random.nextInt(16)));
        }
        return hex.toString();
    }

    private static List<Result> compactResults(Random random) {
        List<Result> results = new ArrayList<>();
        int count = 1 + random.nextInt(5);
        for (int e = 0; e < count; e++) {
            boolean bound = random.nextBoolean();
            results.add(new Result(randomId(random), bound ? "BOUND" : "NOT_BOUND", bound && random.nextBoolean() ? 1 + random.nextInt(99) : 0));
        }
        return results;
    }

    /**
     * The same content in a random legal layout: white space of any kind wherever JSON allows it, the keys of each
     * entry in a random order, unknown fields of any type at the top level and in entries; with {@code odd}, also
     * escapes in keys, ids and unknown strings, and non-ASCII text in unknown fields (still the same content).
     */
    private static String anyLayout(List<Result> results, Random random, boolean odd) {
        StringBuilder json = new StringBuilder();
        json.append(space(random)).append('{');
        List<String> top = new ArrayList<>();
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < results.size(); i++) {
            Result result = results.get(i);
            List<String> fields = new ArrayList<>();
            fields.add(field(random, odd && random.nextInt(20) == 0 ? "\\u0069d" : "id",
                    "\"" + (odd && random.nextInt(20) == 0 ? "\\u002B" + result.id().substring(1) : result.id()) + "\""));
            fields.add(field(random, odd && random.nextInt(20) == 0 ? "st\\u0061tus" : "status", "\"" + result.status() + "\""));
            if (result.accounts() > 0) {
                fields.add(field(random, "accounts", String.valueOf(result.accounts())));
            }
            int unknown = random.nextInt(3);
            for (int u = 0; u < unknown; u++) {
                fields.add(field(random, "x" + u, value(random, 0, odd)));
            }
            Collections.shuffle(fields, random);
            array.append(i > 0 ? space(random) + "," : "").append(space(random)).append(object(fields, random));
        }
        array.append(space(random)).append(']');
        top.add(field(random, "results", array.toString()));
        int unknown = random.nextInt(3);
        for (int u = 0; u < unknown; u++) {
            top.add(field(random, "meta" + u, value(random, 0, odd)));
        }
        Collections.shuffle(top, random);
        return json.append(String.join(",", top)).append(space(random)).append('}').append(space(random)).toString();
    }

    private static String object(List<String> fields, Random random) {
        return "{" + String.join(",", fields) + space(random) + "}";
    }

    private static String field(Random random, String key, String value) {
        return space(random) + "\"" + key + "\"" + space(random) + ":" + space(random) + value;
    }

    /** Any JSON value, nested up to three deep. */
    private static String value(Random random, int depth, boolean odd) {
        int kind = random.nextInt(depth < 3 ? 9 : 7);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> new String[] {"0", "-0", "7", "-12", "3.25", "1e9", "-2.5E-3", "6.02e+23", "123456789012345678901234567890"}[random.nextInt(9)];
            case 3 -> "\"\"";
            case 4 -> "\"plain text 2026-11-28T02:00:00Z\"";
            case 5, 6 -> odd ? new String[] {"\"caf\u00e9\"", "\"a\\\"b\"", "\"\\n\\u0041\"", "\"\\\\\""}[random.nextInt(4)] : "\"ok\"";
            case 7 -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    items.add(space(random) + value(random, depth + 1, odd));
                }
                yield "[" + String.join(",", items) + space(random) + "]";
            }
            default -> {
                List<String> fields = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    fields.add(field(random, "k" + i, value(random, depth + 1, odd)));
                }
                yield object(fields, random);
            }
        };
    }

    /** JSON white space, often none. */
    private static String space(Random random) {
        StringBuilder space = new StringBuilder();
        for (int i = random.nextInt(6) - 3; i > 0; i--) {
            space.append(SPACE.charAt(random.nextInt(SPACE.length())));
        }
        return space.toString();
    }

    /** A key written again right after a random '{' or right before a random '}': in an entry or at top level. */
    private static String giveAKeyTwice(String text, List<Result> sent, Random random) {
        String[] keys = {"\"status\":\"NOT_BOUND\"", "\"status\": \"BOUND\"", "\"st\\u0061tus\":\"NOT_BOUND\"", "\"status\":true",
                "\"Status\":\"BOUND\"", "\"accounts\":0", "\"accounts\" : 7", "\"id\":\"" + sent.get(random.nextInt(sent.size())).id() + "\"",
                "\"since\":1,\"since\":{}", "\"since\":[]", "\"results\":[]", "\"next\":null,\"next\":null", "\"x0\":1", "\"meta0\":{}"};
        String key = keys[random.nextInt(keys.length)];
        List<Integer> braces = new ArrayList<>();
        for (int at = 0; at < text.length(); at++) {
            if (text.charAt(at) == '{' || text.charAt(at) == '}') {
                braces.add(at);
            }
        }
        int at = braces.get(random.nextInt(braces.size()));
        return text.charAt(at) == '{'
                ? text.substring(0, at + 1) + key + "," + text.substring(at + 1)
                : text.substring(0, at) + "," + key + text.substring(at);
    }

    /** One random edit: a character inserted, removed or replaced by one that matters to JSON. */
    private static String mutate(String text, Random random) {
        String[] pieces = {" ", "\n", "\t", "\r", "\u000b", "\u0000", ",", "\"", "\\", "{", "}", "[", "]", ":", "0", "7", "-", "+", ".",
                "e", "x", "A", "\u00e9", "\\u0041", "\"status\":\"BOUND\",", ",\"accounts\":3", ",\"since\":{}", "null", "true", "\ufeff"};
        int at = random.nextInt(text.length() + 1);
        String piece = pieces[random.nextInt(pieces.length)];
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, at) + piece + text.substring(at);
            case 1 -> at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text + piece;
            default -> at < text.length() ? text.substring(0, at) + piece + text.substring(at + 1) : text + piece;
        };
    }

    private static List<Result> jackson(byte[] body) {
        List<Result> results = new ArrayList<>();
        BindingCheckJson.readAnyResults(body, new ResultList(results));
        return results;
    }

    /** What the exchange reports for the asked ids: the matched answers, or BROKEN_RESPONSE for all when the body is malformed. */
    private static List<BindingAnswer> answers(List<byte[]> asked, Consumer<BindingCheckJson.ResultSink> reader) {
        try {
            return BindingCheckExchange.ResultMatcher.match(asked, reader, null);
        } catch (IllegalArgumentException e) {
            return Collections.nCopies(asked.size(), BindingAnswer.noAnswer("BROKEN_RESPONSE"));
        }
    }
}
