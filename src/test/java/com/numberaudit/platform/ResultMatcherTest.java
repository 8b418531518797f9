package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The answers a 200 body gives, in the layouts other servers really send (not only the compact one
 * our simulator writes), and the bodies that must give no answer for the id concerned, or none at all.
 */
class ResultMatcherTest {

    private static final String A = "+8613832738807";
    private static final String B = "+8613912345678";
    private static final String C = "+8615000000001";
    private static final List<byte[]> ASKED = List.of(ascii(A), ascii(B), ascii(C));

    private static final String COMPACT = "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":2},"
            + "{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"},{\"id\":\"+8615000000001\",\"status\":\"BOUND\"}]}";
    private static final List<BindingAnswer> COMPACT_ANSWERS = List.of(BindingAnswer.bound(2), BindingAnswer.NOT_BOUND, BindingAnswer.bound(0));

    @Test
    void theCompactFormGivesTheAnswersItSays() {
        assertThat(match(COMPACT)).isEqualTo(COMPACT_ANSWERS);
    }

    static Stream<Arguments> otherLayoutsOfTheSameContent() {
        return Stream.of(
                Arguments.of("spaces after ':' and ','", """
                        {"results": [{"id": "+8613832738807", "status": "BOUND", "accounts": 2}, \
                        {"id": "+8613912345678", "status": "NOT_BOUND"}, {"id": "+8615000000001", "status": "BOUND"}]}"""),
                Arguments.of("pretty-printed, LF, two spaces, space before ':'", """
                        {
                          "results" : [ {
                            "id" : "+8613832738807",
                            "status" : "BOUND",
                            "accounts" : 2
                          }, {
                            "id" : "+8613912345678",
                            "status" : "NOT_BOUND"
                          }, {
                            "id" : "+8615000000001",
                            "status" : "BOUND"
                          } ]
                        }
                        """),
                Arguments.of("pretty-printed, CRLF, tabs", "{\r\n\t\"results\": [\r\n\t\t{\r\n\t\t\t\"id\": \"+8613832738807\",\r\n"
                        + "\t\t\t\"status\": \"BOUND\",\r\n\t\t\t\"accounts\": 2\r\n\t\t},\r\n\t\t{\r\n\t\t\t\"id\": \"+8613912345678\",\r\n"
                        + "\t\t\t\"status\": \"NOT_BOUND\"\r\n\t\t},\r\n\t\t{\r\n\t\t\t\"id\": \"+8615000000001\",\r\n"
                        + "\t\t\t\"status\": \"BOUND\"\r\n\t\t}\r\n\t]\r\n}\r\n"),
                Arguments.of("status before id, accounts first", """
                        {"results":[{"accounts":2,"status":"BOUND","id":"+8613832738807"},\
                        {"status":"NOT_BOUND","id":"+8613912345678"},{"status":"BOUND","id":"+8615000000001"}]}"""),
                Arguments.of("unknown fields in entries: scalar, nested object, nested array, null", """
                        {"results":[{"id":"+8613832738807","checkedAt":"2026-11-28T01:02:03Z","status":"BOUND","accounts":2,\
                        "detail":{"apps":["wallet"],"status":"NOT_BOUND","id":"+8613912345678"}},\
                        {"id":"+8613912345678","channels":[1,[2,{"status":"BOUND"}]],"status":"NOT_BOUND","note":null},\
                        {"id":"+8615000000001","status":"BOUND","score":0.5,"verified":true}]}"""),
                Arguments.of("unknown fields at top level, results not first", """
                        {"requestId":"5f0c","meta":{"results":[]},"warnings":[],"next":null,\
                        "results":[{"id":"+8613832738807","status":"BOUND","accounts":2},\
                        {"id":"+8613912345678","status":"NOT_BOUND"},{"id":"+8615000000001","status":"BOUND"}],"count":3}"""),
                Arguments.of("answers in another order than asked", """
                        {"results":[{"id":"+8615000000001","status":"BOUND"},{"id":"+8613832738807","status":"BOUND","accounts":2},\
                        {"id":"+8613912345678","status":"NOT_BOUND"}]}"""),
                Arguments.of("ids, names and statuses with unicode escapes", """
                        {"results":[{"id":"\\u002B8613832738807","status":"BOUND","accounts":2},\
                        {"\\u0069d":"\\u002b8613912345678","st\\u0061tus":"N\\u004FT_BOUND"},{"id":"+861500000000\\u0031","status":"BOUND"}]}"""),
                Arguments.of("accounts 0 on NOT_BOUND, an answer for an id not asked", """
                        {"results":[{"id":"+8613832738807","status":"BOUND","accounts":2},{"id":"+8619999999999","status":"BOUND"},\
                        {"id":"+8613912345678","status":"NOT_BOUND","accounts":0},{"id":"+8615000000001","status":"BOUND"}]}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherLayoutsOfTheSameContent")
    void everyOtherLayoutOfTheSameContentGivesTheAnswersOfTheCompactForm(String layout, String body) {
        assertThat(match(body)).isEqualTo(COMPACT_ANSWERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"bound\"", "\"Not_Bound\"", "\"NOT BOUND\"", "\" NOT_BOUND\"", "\"UNBOUND\"", "\"\"",
            "true", "false", "null", "0", "1", "{}", "[\"NOT_BOUND\"]"})
    void aStatusThatIsNotExactlyBoundOrNotBoundIsNoAnswerForItsIdAndTheOthersAreStillAnswered(String status) {
        String body = "{\"results\":[{\"id\":\"+8613832738807\",\"status\":" + status + "},"
                + "{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"},{\"id\":\"+8615000000001\",\"status\":\"BOUND\",\"accounts\":1}]}";

        assertThat(match(body)).containsExactly(BindingAnswer.noAnswer("UNKNOWN_STATUS"), BindingAnswer.NOT_BOUND, BindingAnswer.bound(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\",\"accounts\":3},"
                    + "{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"},{\"id\":\"+8615000000001\",\"status\":\"BOUND\",\"accounts\":1}]}",
            "{\"results\": [{\"accounts\": 3, \"id\": \"+8613832738807\", \"status\": \"NOT_BOUND\"},"
                    + " {\"id\": \"+8613912345678\", \"status\": \"NOT_BOUND\"}, {\"id\": \"+8615000000001\", \"status\": \"BOUND\", \"accounts\": 1}]}"
    })
    void notBoundWithAccountsIsContradictoryAndNoAnswerForItsIdInAnyLayout(String body) {
        assertThat(match(body)).containsExactly(BindingAnswer.noAnswer("CONTRADICTORY_ANSWER"), BindingAnswer.NOT_BOUND, BindingAnswer.bound(1));
    }

    private static List<BindingAnswer> match(String body) {
        return BindingCheckExchange.ResultMatcher.match(ASKED, utf8(body));
    }

    private static byte[] ascii(String id) {
        return id.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
