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
import org.junit.jupiter.params.provider.ValueSource;

import com.numberaudit.platform.BindingCheckJson.Result;
import com.numberaudit.platform.BindingCheckJsonTest.ResultList;

/**
 * The compact reader must never disagree with Jackson: whenever it accepts a body, the answers
 * are exactly those Jackson alone gives. Checked on seeded random bodies, compact and not.
 */
class CompactResultsTest {

    @Test
    void acceptsWhatTheSimulatorAndMostSerializersWriteAndReadsItAsJacksonDoes() {
        Random random = new Random(20261128);
        for (int i = 0; i < 2_000; i++) {
            List<Result> sent = new ArrayList<>();
            int count = random.nextInt(40);
            for (int e = 0; e < count; e++) {
                boolean bound = random.nextInt(10) == 0;
                sent.add(new Result(randomId(random), bound ? "BOUND" : "NOT_BOUND", bound ? random.nextInt(1_000) : 0));
            }
            byte[] body = BindingCheckJson.results(sent);

            List<Result> compact = new ArrayList<>();
            assertThat(CompactResults.read(body, new BindingCheckJson.ResultView(), new ResultList(compact)))
                    .as(new String(body, StandardCharsets.UTF_8)).isTrue();
            assertThat(compact).isEqualTo(jackson(body)).isEqualTo(sent);
        }
    }

    @Test
    void neverDisagreesWithJacksonOnBodiesInAnyOtherLayout() {
        Random random = new Random(20261129);
        int acceptedChanged = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            List<Result> sent = compactResults(random);
            List<byte[]> asked = sent.stream().map(result -> result.id().getBytes(StandardCharsets.US_ASCII)).toList();
            byte[] body = random.nextInt(3) == 0 ? giveAKeyTwice(BindingCheckJson.results(sent), sent, random)
                    : mutate(BindingCheckJson.results(sent), random);

            assertThat(answers(asked, sink -> BindingCheckJson.readResults(body, sink)))
                    .as(new String(body, StandardCharsets.UTF_8))
                    .isEqualTo(answers(asked, sink -> BindingCheckJson.readAnyResults(body, sink)));
            if (CompactResults.read(body, new BindingCheckJson.ResultView(), new ResultList(new ArrayList<>()))) {
                acceptedChanged++;
            } else {
                refused++;
            }
        }
        assertThat(refused).as("most changes leave the compact form").isGreaterThan(10_000);
        assertThat(acceptedChanged).as("some changes keep it (other ids, statuses, accounts)").isGreaterThan(500);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"results\": []}",
            "{\"results\":[{\"status\":\"BOUND\",\"id\":\"+8613832738807\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"MAYBE\"}]}",
            "{\"results\":[{\"id\":\"\\u002B8613832738807\",\"status\":\"BOUND\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":012}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":1234567890}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":-1}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":2.0}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"status\":\"NOT_BOUND\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":1,\"accounts\":0}]}",
            "{\"results\":[],\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"}]}\n",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"},]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"}],\"next\":null}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"}"
    })
    void leavesEveryOtherLayoutToJackson(String body) {
        assertThat(CompactResults.read(body.getBytes(StandardCharsets.UTF_8), new BindingCheckJson.ResultView(),
                new ResultList(new ArrayList<>()))).isFalse();
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

    /** A key written again right after a random '{' or right before a random '}': in an entry or at top level. */
    private static byte[] giveAKeyTwice(byte[] body, List<Result> sent, Random random) {
        String text = new String(body, StandardCharsets.UTF_8);
        String[] keys = {"\"status\":\"NOT_BOUND\"", "\"status\":\"BOUND\"", "\"st\\u0061tus\":\"NOT_BOUND\"", "\"status\":true",
                "\"accounts\":0", "\"accounts\":7", "\"id\":\"" + sent.get(random.nextInt(sent.size())).id() + "\"",
                "\"since\":1,\"since\":{}", "\"since\":[]", "\"results\":[]", "\"next\":null,\"next\":null"};
        String key = keys[random.nextInt(keys.length)];
        List<Integer> braces = new ArrayList<>();
        for (int at = 0; at < text.length(); at++) {
            if (text.charAt(at) == '{' || text.charAt(at) == '}') {
                braces.add(at);
            }
        }
        int at = braces.get(random.nextInt(braces.size()));
        String changed = text.charAt(at) == '{'
                ? text.substring(0, at + 1) + key + "," + text.substring(at + 1)
                : text.substring(0, at) + "," + key + text.substring(at);
        return changed.getBytes(StandardCharsets.UTF_8);
    }

    /** One random edit: a character inserted, removed or replaced by one that matters to JSON. */
    private static byte[] mutate(byte[] body, Random random) {
        String text = new String(body, StandardCharsets.UTF_8);
        String[] pieces = {" ", "\n", ",", "\"", "\\", "{", "}", "[", "]", ":", "0", "7", "-", ".", "e", "x", "A", "é",
                "\\u0041", "\"status\":\"BOUND\",", ",\"accounts\":3", ",\"since\":{}", "null", "true"};
        int at = random.nextInt(text.length() + 1);
        String piece = pieces[random.nextInt(pieces.length)];
        String changed = switch (random.nextInt(3)) {
            case 0 -> text.substring(0, at) + piece + text.substring(at);
            case 1 -> at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text + piece;
            default -> at < text.length() ? text.substring(0, at) + piece + text.substring(at + 1) : text + piece;
        };
        return changed.getBytes(StandardCharsets.UTF_8);
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
