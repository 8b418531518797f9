package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;

import com.numberaudit.TestBinding;
import com.numberaudit.number.MobileNumber;

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
                    + " {\"id\": \"+8613912345678\", \"status\": \"NOT_BOUND\"}, {\"id\": \"+8615000000001\", \"status\": \"BOUND\", \"accounts\": 1}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\",\"accounts\":-1},"
                    + "{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"},{\"id\":\"+8615000000001\",\"status\":\"BOUND\",\"accounts\":1}]}"
    })
    void notBoundWithAccountsIsContradictoryAndNoAnswerForItsIdInAnyLayout(String body) {
        assertThat(match(body)).containsExactly(BindingAnswer.noAnswer("CONTRADICTORY_ANSWER"), BindingAnswer.NOT_BOUND, BindingAnswer.bound(1));
    }

    static Stream<Arguments> entriesWithAKeyGivenTwice() {
        return Stream.of(
                Arguments.of("status BOUND then NOT_BOUND", "\"status\":\"BOUND\",\"status\":\"NOT_BOUND\""),
                Arguments.of("status NOT_BOUND twice", "\"status\":\"NOT_BOUND\",\"status\":\"NOT_BOUND\""),
                Arguments.of("status, the second name escaped", "\"status\":\"BOUND\",\"st\\u0061tus\":\"NOT_BOUND\""),
                Arguments.of("accounts", "\"status\":\"NOT_BOUND\",\"accounts\":0,\"accounts\":0"),
                Arguments.of("an unknown scalar", "\"since\":1,\"status\":\"NOT_BOUND\",\"since\":2"),
                Arguments.of("an unknown object", "\"detail\":{},\"status\":\"NOT_BOUND\",\"detail\":null"),
                Arguments.of("status, pretty-printed", "\n    \"status\" : \"BOUND\",\n    \"status\" : \"NOT_BOUND\"\n  "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entriesWithAKeyGivenTwice")
    void anEntryWithAKeyGivenTwiceIsNoAnswerForItsIdAndTheOthersAreStillAnswered(String key, String fields) {
        String body = "{\"results\":[{\"id\":\"+8613832738807\"," + fields + "},"
                + "{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"},{\"id\":\"+8615000000001\",\"status\":\"BOUND\",\"accounts\":1}]}";

        assertThat(match(body)).containsExactly(BindingAnswer.noAnswer("DUPLICATE_KEY"), BindingAnswer.NOT_BOUND, BindingAnswer.bound(1));
    }

    @Test
    void aKeyGivenTwiceInARandomEntryOfARandomBodyIsNoAnswerForThatIdAlone() {
        Random random = new Random(20261130);
        String[] keysGivenAgain = {"\"status\":\"NOT_BOUND\"", "\"status\":\"BOUND\"", "\"st\\u0061tus\":\"NOT_BOUND\"",
                "\"status\":null", "\"since\":1,\"since\":{}"};
        for (int i = 0; i < 2_000; i++) {
            List<String> ids = new ArrayList<>();
            List<BindingAnswer> sent = new ArrayList<>();
            StringBuilder body = new StringBuilder("{\"results\":[");
            int count = 1 + random.nextInt(8);
            int twice = random.nextInt(count);
            for (int e = 0; e < count; e++) {
                ids.add(new MobileNumber(13_000_000_000L + e * 100_000_000L + random.nextInt(100_000_000)).e164());
                sent.add(random.nextBoolean() ? BindingAnswer.NOT_BOUND : BindingAnswer.bound(random.nextInt(3)));
                String fields = "\"id\":\"" + ids.get(e) + "\",\"status\":\"" + sent.get(e).status() + "\""
                        + (sent.get(e).accounts() > 0 ? ",\"accounts\":" + sent.get(e).accounts() : "");
                String again = keysGivenAgain[random.nextInt(keysGivenAgain.length)];
                body.append(e == 0 ? "{" : ",{").append(e != twice ? fields : random.nextBoolean() ? again + "," + fields : fields + "," + again)
                        .append("}");
            }
            String text = body.append("]}").toString();
            List<BindingAnswer> expected = new ArrayList<>(sent);
            expected.set(twice, BindingAnswer.noAnswer("DUPLICATE_KEY"));

            List<BindingAnswer> answers = BindingCheckExchange.ResultMatcher.match(ids.stream().map(ResultMatcherTest::ascii).toList(), utf8(text), null);

            assertThat(answers).as(text).isEqualTo(expected);
        }
    }

    @Test
    void theIncidentBodyReleasesNoneOfItsBoundNumbersAsClean() {
        List<byte[]> asked = new ArrayList<>();
        StringBuilder body = new StringBuilder("{\"results\":[");
        for (int i = 0; i < 141; i++) {
            String id = new MobileNumber(13832738807L + i).e164();
            asked.add(ascii(id));
            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"status\":\"BOUND\",\"status\":\"NOT_BOUND\"}");
        }

        List<BindingAnswer> answers = BindingCheckExchange.ResultMatcher.match(asked, utf8(body.append("]}").toString()), null);

        assertThat(answers).hasSize(141).containsOnly(BindingAnswer.noAnswer("DUPLICATE_KEY"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"results\":[{\"id\":\"+8613832738807\",\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"NOT_BOUND\",\"id\":\"+8613832738807\"}]}",
            "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\"}],\"results\":[{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"}]}",
            "{\"results\":[],\"results\":[{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"}]}",
            "{\"next\":null,\"results\":[{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"}],\"next\":\"x\"}"
    })
    void anIdGivenTwiceInOneEntryOrATopLevelKeyGivenTwiceMakesTheWholeBodyMalformed(String body) {
        assertThatThrownBy(() -> match(body)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overHttpAnIdGivenTwiceInOneEntryLeavesTheWholeBatchWithABrokenResponse() throws Exception {
        String body = "{\"results\":[{\"id\":\"+8613832738807\",\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"},"
                + "{\"id\":\"+8615000000001\",\"status\":\"NOT_BOUND\"}]}";

        assertThat(checkOverHttp(body)).hasSize(3).containsOnly(BindingAnswer.noAnswer("BROKEN_RESPONSE"));
    }

    @Test
    void overHttpAStatusGivenTwiceLeavesOnlyItsNumberUndetermined() throws Exception {
        String body = "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"status\":\"NOT_BOUND\"},"
                + "{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"},{\"id\":\"+8615000000001\",\"status\":\"NOT_BOUND\"}]}";

        assertThat(checkOverHttp(body)).containsExactly(BindingAnswer.noAnswer("DUPLICATE_KEY"), BindingAnswer.NOT_BOUND, BindingAnswer.NOT_BOUND);
    }

    /** Asks A, B and C of a platform on loopback that answers 200 with {@code body}, in one attempt. */
    private static List<BindingAnswer> checkOverHttp(String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = utf8(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/p";
        try (BindingCheckApiAdapterFactory factory = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry())) {
            PlatformSettings settings = TestBinding.bind(PlatformSettings.class, "url", base, "retry.max-attempts", "1");
            BindingCheckAdapter adapter = factory.create(new Platform("p", settings, URI.create(base)));
            return adapter.check(LocalDate.of(2026, 11, 28), List.of(new MobileNumber(13832738807L), new MobileNumber(13912345678L),
                    new MobileNumber(15000000001L))).get(5, TimeUnit.SECONDS).stream()
                    .map(answer -> new BindingAnswer(answer.status(), answer.accounts(), answer.reason(), null, null, null)).toList();
        } finally {
            server.stop(0);
        }
    }

    private static List<BindingAnswer> match(String body) {
        return BindingCheckExchange.ResultMatcher.match(ASKED, utf8(body), null);
    }

    private static byte[] ascii(String id) {
        return id.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
