package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.numberaudit.platform.BindingCheckJson.Request;
import com.numberaudit.platform.BindingCheckJson.Result;

class BindingCheckJsonTest {

    @Test
    void requestRoundTrips() {
        Request sent = new Request(LocalDate.of(2026, 11, 28), "E164", List.of("+8613832738807", "+8613912345678"));

        byte[] body = BindingCheckJson.request(sent.asOf(), sent.idType(), sent.ids().stream().map(BindingCheckJsonTest::ascii).toList());

        assertThat(BindingCheckJson.readRequest(new ByteArrayInputStream(body))).isEqualTo(sent);
    }

    @Test
    void requestRefusesAnIdItWouldHaveToEscape() {
        for (String id : List.of("+86\"1", "+86\\1", "+86\n1", "+86é1")) {
            assertThatThrownBy(() -> BindingCheckJson.request(LocalDate.of(2026, 11, 28), "E164",
                    List.of(id.getBytes(StandardCharsets.UTF_8)))).as(id).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[]}",
            "{\"asOf\":\"28.11.2026\",\"idType\":\"E164\",\"ids\":[\"+8613832738807\"]}",
            "{\"idType\":\"E164\",\"ids\":[\"+8613832738807\"]}",
            "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[\"+8613832738807\""
    })
    void readRequestRejectsMalformedRequests(String body) {
        assertThatThrownBy(() -> BindingCheckJson.readRequest(new ByteArrayInputStream(utf8(body))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resultsRoundTripInOrderWithAccounts() {
        List<Result> sent = List.of(
                new Result("+8613832738807", "BOUND", 2),
                new Result("+8613912345678", "NOT_BOUND", 0),
                new Result("+8615000000001", "BOUND", 1));

        assertThat(read(BindingCheckJson.results(sent))).isEqualTo(sent);
    }

    @Test
    void readResultsIgnoresUnknownFields() {
        String body = "{\"meta\":{\"x\":[1,2]},\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\",\"since\":{}}]}";

        assertThat(read(utf8(body))).containsExactly(new Result("+8613832738807", "NOT_BOUND", 0));
    }

    @Test
    void readResultsReadsAStatusItDoesNotKnowOrMissesAsNoAnswerAndSkipsEntriesWithoutId() {
        String body = "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"MAYBE\"},{\"status\":\"BOUND\"},"
                + "{\"id\":\"+8613912345678\"},{\"accounts\":3,\"status\":\"BOUND\",\"id\":\"+8615000000001\"}]}";

        assertThat(read(utf8(body))).containsExactly(
                new Result("+8613832738807", "NO_ANSWER", 0),
                new Result("+8613912345678", "NO_ANSWER", 0),
                new Result("+8615000000001", "BOUND", 3));
    }

    @Test
    void aResultViewComparesItsIdWithoutMakingAString() {
        List<Boolean> matches = new ArrayList<>();
        BindingCheckJson.readResults(utf8("{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"}]}"),
                new BindingCheckJson.ResultSink() {
                    @Override
                    public void accept(BindingCheckJson.ResultView result) {
                        matches.addAll(List.of(result.idEquals(ascii("+8613832738807")), result.idEquals(ascii("+8613832738808")),
                                result.idEquals(ascii("+861383273880")), result.idEquals(ascii("+86138327388070"))));
                    }

                    @Override
                    public void startOver() {
                        matches.clear();
                    }
                });

        assertThat(matches).containsExactly(true, false, false, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"status\":500,\"code\":\"INTERNAL\",\"message\":\"boom\"}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\"}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOU",
            "{\"results\":[]} garbage",
            "{\"results\":[]}{\"results\":[]}",
            "{\"results\":[\"+8613832738807\"]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":\"two\"}]}",
            ""
    })
    void readResultsRejectsMalformedBodies(String body) {
        assertThatThrownBy(() -> read(utf8(body))).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Result> read(byte[] body) {
        List<Result> results = new ArrayList<>();
        BindingCheckJson.readResults(body, new ResultList(results));
        return results;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String id) {
        return id.getBytes(StandardCharsets.US_ASCII);
    }

    /** Collects the entries as {@link Result}s, as a test sink. */
    record ResultList(List<Result> results) implements BindingCheckJson.ResultSink {

        @Override
        public void accept(BindingCheckJson.ResultView result) {
            results.add(new Result(result.id(), result.status().name(), result.accounts()));
        }

        @Override
        public void startOver() {
            results.clear();
        }
    }
}
