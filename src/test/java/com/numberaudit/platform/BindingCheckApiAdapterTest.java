package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;

import com.numberaudit.TestBinding;
import com.numberaudit.number.MobileNumber;

class BindingCheckApiAdapterTest {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 28);
    private static final MobileNumber A = new MobileNumber(13832738807L);
    private static final MobileNumber B = new MobileNumber(13912345678L);
    private static final MobileNumber C = new MobileNumber(15000000001L);
    private static final List<MobileNumber> ASKED = List.of(A, B, C);

    private final CountDownLatch releaseHangingHandlers = new CountDownLatch(1);
    private ExecutorService serverThreads;
    private HttpServer server;
    private volatile int status = 200;
    private volatile String body = "";
    /** When set, what a GET (a ticket's poll) gets instead of {@link #status}. */
    private volatile Integer pollStatus;
    private volatile boolean hang;
    private volatile Received received;
    private final AtomicInteger requests = new AtomicInteger();

    record Received(String method, String path, String host, String contentType, String correlator, byte[] body) {
    }

    @BeforeEach
    void startServer() throws IOException {
        serverThreads = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(serverThreads);
        server.start();
    }

    @AfterEach
    void stopServer() {
        releaseHangingHandlers.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        received = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("x-correlator"), exchange.getRequestBody().readAllBytes());
        if (hang) {
            try {
                releaseHangingHandlers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        boolean polled = pollStatus != null && exchange.getRequestMethod().equals("GET");
        byte[] bytes = (polled ? "{\"status\":" + pollStatus + ",\"code\":\"NOT_FOUND\",\"message\":\"unknown ticket\"}" : body)
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(polled ? pollStatus : status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void postsE164IdsWithDateAndCorrelatorToTheBindingChecksPath() throws Exception {
        respond(200, results(result(A, "NOT_BOUND"), result(B, "NOT_BOUND"), result(C, "NOT_BOUND")));

        check(Duration.ofSeconds(5));

        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/platforms/p/binding-checks");
        assertThat(received.host()).isEqualTo("127.0.0.1:" + server.getAddress().getPort());
        assertThat(received.contentType()).isEqualTo("application/json");
        assertThat(UUID.fromString(received.correlator())).isNotNull();
        assertThat(BindingCheckJson.readRequest(new ByteArrayInputStream(received.body()))).isEqualTo(
                new BindingCheckJson.Request(AS_OF, "E164", List.of("+8613832738807", "+8613912345678", "+8615000000001")));
    }

    @Test
    void everyAnswerCarriesTheCorrelatorOfTheRequestThatBroughtIt() throws Exception {
        respond(200, results(result(A, "NOT_BOUND"), result(C, "BOUND", 1)));
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/platforms/p");

        List<BindingAnswer> answers = adapter(base, Duration.ofSeconds(5)).check(AS_OF, ASKED).get(5, TimeUnit.SECONDS);

        // what the ledger keeps as the proof of what was asked: NOT_BOUND, BOUND and MISSING_ID alike
        assertThat(answers).extracting(BindingAnswer::correlator).containsOnly(received.correlator());
    }

    @Test
    void aTicketOfAnEarlierNightIsPolledOnceAndItsAnswerCarriesTheTicketAndThePollsCorrelator() throws Exception {
        respond(200, results(result(A, "NOT_BOUND"), result(B, "BOUND", 1), result(C, "NOT_BOUND")));

        List<BindingAnswer> answers = collect("t-1");

        assertThat(received.method()).isEqualTo("GET");
        assertThat(received.path()).isEqualTo("/platforms/p/binding-checks/t-1");
        assertThat(answers).containsExactly(BindingAnswer.notBound(received.correlator()).withTicket("t-1"),
                BindingAnswer.bound(1, received.correlator()).withTicket("t-1"), BindingAnswer.notBound(received.correlator()).withTicket("t-1"));
    }

    @Test
    void aTicketStillOpenOrUnreadableTonightKeepsItsNumbersPending() throws Exception {
        respond(202, "{\"ticket\":\"t-1\"}");
        assertThat(collect("t-1")).containsOnly(BindingAnswer.pending("t-1", received.correlator()));

        respond(503, "{\"status\":503,\"code\":\"UNAVAILABLE\",\"message\":\"later\"}");
        assertThat(collect("t-1")).as("not retried: the next night polls again").containsOnly(BindingAnswer.pending("t-1", received.correlator()));
    }

    @Test
    void oncePollsKeepTimingOutTheCircuitOpensAndTheRestStayPendingWithoutWaitingOutTheirTimeOut() throws Exception {
        hang = true;
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/platforms/p");
        PlatformSettings settings = TestBinding.bind(PlatformSettings.class, "url", base.toString(), "timeout", "300ms",
                "circuit-breaker.minimum-calls", "2");
        BindingCheckAdapter adapter = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry()).create(new Platform("p", settings, base));

        long started = System.nanoTime();
        for (int ticket = 0; ticket < 10; ticket++) {
            String open = "t-" + ticket;
            assertThat(adapter.collect(open, ASKED).get(5, TimeUnit.SECONDS)).hasSize(3).allSatisfy(answer -> {
                assertThat(answer.pending()).isTrue();
                assertThat(answer.ticket()).isEqualTo(open);
            });
        }

        // a platform down for the night would otherwise hold its open tickets' numbers back for a time-out each
        assertThat(requests.get()).as("polls sent before the circuit opened").isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aTicketThePlatformDoesNotKnowHasItsNumbersAskedAfresh() throws Exception {
        respond(404, "{\"status\":404,\"code\":\"NOT_FOUND\",\"message\":\"unknown ticket\"}");

        assertThat(collect("t-1")).hasSize(3).allSatisfy(answer -> assertThat(answer.reason()).isEqualTo(BindingAnswer.TICKET_UNKNOWN));
    }

    @Test
    void aFreshTicketThePlatformThenDoesNotKnowEndsTheWaitAtOnceAndIsNotKeptForTheNextNight() throws Exception {
        respond(202, "{\"ticket\":\"t-9\"}");
        pollStatus = 410;
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/platforms/p");
        PlatformSettings settings = TestBinding.bind(PlatformSettings.class, "url", base.toString(), "retry.max-attempts", "1",
                "pending-wait", "60s");

        List<BindingAnswer> answers = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry())
                .create(new Platform("p", settings, base)).check(AS_OF, ASKED).get(10, TimeUnit.SECONDS);

        // not PENDING until the 60 s wait ends (a ticket the next night would only poll to learn the same)
        assertThat(answers).hasSize(3).allSatisfy(answer -> {
            assertThat(answer.reason()).isEqualTo(BindingAnswer.TICKET_UNKNOWN);
            assertThat(answer.pending()).isFalse();
        });
    }

    @Test
    void answersOutOfOrderAreMappedBackToTheirNumbers() throws Exception {
        respond(200, results(result(C, "BOUND", 1), result(A, "BOUND", 2), result(B, "NOT_BOUND")));

        assertThat(check(Duration.ofSeconds(5)))
                .containsExactly(BindingAnswer.bound(2), BindingAnswer.NOT_BOUND, BindingAnswer.bound(1));
    }

    @Test
    void omittedIdHasNoAnswerWhileTheOthersAreAnswered() throws Exception {
        respond(200, results(result(A, "NOT_BOUND"), result(C, "BOUND", 1)));

        assertThat(check(Duration.ofSeconds(5)))
                .containsExactly(BindingAnswer.NOT_BOUND, BindingAnswer.noAnswer("MISSING_ID"), BindingAnswer.bound(1));
    }

    @Test
    void repeatedIdHasNoAnswerEvenIfOneOfItsAnswersSaysNotBound() throws Exception {
        respond(200, results(result(A, "NOT_BOUND"), result(B, "NOT_BOUND"), result(A, "BOUND", 1), result(C, "NOT_BOUND")));

        assertThat(check(Duration.ofSeconds(5)))
                .containsExactly(BindingAnswer.noAnswer("REPEATED_ID"), BindingAnswer.NOT_BOUND, BindingAnswer.NOT_BOUND);
    }

    @Test
    void idThatWasNotAskedIsIgnored() throws Exception {
        respond(200, results(result(A, "NOT_BOUND"), "{\"id\":\"+8619999999999\",\"status\":\"BOUND\"}",
                result(B, "BOUND", 3), result(C, "NOT_BOUND")));

        assertThat(check(Duration.ofSeconds(5)))
                .containsExactly(BindingAnswer.NOT_BOUND, BindingAnswer.bound(3), BindingAnswer.NOT_BOUND);
    }

    @Test
    void unknownOrMissingStatusHasNoAnswer() throws Exception {
        respond(200, results(result(A, "MAYBE"), "{\"id\":\"+8613912345678\"}", result(C, "not_bound")));

        assertThat(check(Duration.ofSeconds(5))).containsOnly(BindingAnswer.noAnswer("UNKNOWN_STATUS"));
    }

    /** The contract: "White space, field order and unknown fields are free: any valid JSON layout of the same content is the same answer." */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"results\": [{\"id\": \"+8613832738807\", \"status\": \"BOUND\", \"accounts\": 2}, "
                    + "{\"id\": \"+8613912345678\", \"status\": \"NOT_BOUND\"}, {\"id\": \"+8615000000001\", \"status\": \"BOUND\", \"accounts\": 1}]}",
            "{\r\n  \"results\" : [ {\r\n    \"id\" : \"+8613832738807\",\r\n    \"status\" : \"BOUND\",\r\n    \"accounts\" : 2\r\n  }, {\r\n"
                    + "    \"id\" : \"+8613912345678\",\r\n    \"status\" : \"NOT_BOUND\"\r\n  }, {\r\n\t\"id\" : \"+8615000000001\",\r\n"
                    + "\t\"status\" : \"BOUND\",\r\n\t\"accounts\" : 1\r\n  } ]\r\n}\r\n",
            "{\"results\":[{\"accounts\":2,\"status\":\"BOUND\",\"id\":\"+8613832738807\"},{\"status\":\"NOT_BOUND\",\"id\":\"+8613912345678\"},"
                    + "{\"status\":\"BOUND\",\"id\":\"+8615000000001\",\"accounts\":1}]}",
            "{\"meta\":{\"server\":\"x\",\"took\":[1,2.5e-3,null,{\"a\":[]}]},\"results\":[{\"since\":{\"at\":\"2026-01-01\"},"
                    + "\"id\":\"+8613832738807\",\"sources\":[\"a\",{\"b\":true}],\"status\":\"BOUND\",\"accounts\":2},"
                    + "{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\",\"note\":\"caf\u00e9 \\\"\u4e2d\\\"\"},"
                    + "{\"id\":\"+8615000000001\",\"status\":\"BOUND\",\"accounts\":1,\"extra\":false}],\"next\":null}",
            "{\"r\\u0065sults\":[{\"\\u0069d\":\"\\u002B8613832738807\",\"st\\u0061tus\":\"BOUND\",\"accounts\":2},"
                    + "{\"id\":\"+8613912345678\",\"status\":\"NOT_\\u0042OUND\"},{\"id\":\"+8615000000001\",\"status\":\"BOUND\",\"accounts\":1}]}"
    })
    void anyLayoutOfTheSameContentIsTheSameAnswer(String body) throws Exception {
        respond(200, body);

        assertThat(check(Duration.ofSeconds(5))).containsExactly(BindingAnswer.bound(2), BindingAnswer.NOT_BOUND, BindingAnswer.bound(1));
    }

    @Test
    void aKeyGivenTwiceInAnyLayoutOrSpellingIsNoAnswerForThatIdOnly() throws Exception {
        respond(200, "{ \"results\": [ {\"id\": \"+8613832738807\", \"status\": \"NOT_BOUND\", \"st\\u0061tus\": \"BOUND\"},\n"
                + "  {\"status\": \"BOUND\", \"id\": \"+8613912345678\", \"accounts\": 1, \"status\": \"NOT_BOUND\", \"accounts\": 0},\n"
                + "  {\"id\": \"+8615000000001\", \"status\": \"NOT_BOUND\", \"since\": 1, \"since\": {}} ] }");

        assertThat(check(Duration.ofSeconds(5))).containsOnly(BindingAnswer.noAnswer("DUPLICATE_KEY"));
    }

    @Test
    void keysDifferingInCaseAreOtherKeys() throws Exception {
        respond(200, "{\"results\": [{\"id\": \"+8613832738807\", \"Status\": \"NOT_BOUND\"}, "
                + "{\"id\": \"+8613912345678\", \"status\": \"NOT_BOUND\", \"STATUS\": \"BOUND\", \"Accounts\": 3}, "
                + "{\"ID\": \"+8615000000001\", \"status\": \"NOT_BOUND\"}]}");

        assertThat(check(Duration.ofSeconds(5)))
                .containsExactly(BindingAnswer.noAnswer("UNKNOWN_STATUS"), BindingAnswer.NOT_BOUND, BindingAnswer.noAnswer("MISSING_ID"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"results\": [{\"id\": \"+8613832738807\", \"status\": \"BOUND\", \"accounts\": \"2\"}]}",
            "{\"results\": [{\"id\": 8613832738807, \"status\": \"NOT_BOUND\"}]}",
            "{\"results\": [{\"id\": \"+8613832738807\", \"id\": \"+8613912345678\", \"status\": \"NOT_BOUND\"}]}",
            "{\"results\": [{\"id\": \"+8613832738807\", \"status\": \"NOT_BOUND\"}], \"results\": []}",
            "{\"results\": [{\"id\": \"+8613832738807\", \"status\": \"NOT_BOUND\"}]} {}",
            "{\"results\": [{\"id\": \"+8613832738807\", \"status\": \"NOT_BOUND\",}]}",
            "{\"results\": [{\"id\": \"+8613832738807\", \"status\": \"NOT_BOUND\", \"x\": 01}]}",
            "{'results': [{'id': '+8613832738807', 'status': 'NOT_BOUND'}]}"
    })
    void aBodyThatIsNotValidJsonOfTheContractInAnyLayoutLeavesTheWholeBatchWithoutAnswer(String body) throws Exception {
        respond(200, body);

        assertThat(check(Duration.ofSeconds(5))).hasSize(3).containsOnly(BindingAnswer.noAnswer("BROKEN_RESPONSE"));
    }

    @Test
    void httpErrorLeavesTheWholeBatchWithoutAnswer() throws Exception {
        respond(500, "{\"status\":500,\"code\":\"INTERNAL\",\"message\":\"boom\"}");

        assertThat(check(Duration.ofSeconds(5))).hasSize(3).containsOnly(BindingAnswer.noAnswer("HTTP_500"));
    }

    @Test
    void truncatedBodyLeavesTheWholeBatchWithoutAnswerEvenTheIdsReadBeforeTheBreak() throws Exception {
        respond(200, "{\"results\":[" + result(A, "NOT_BOUND") + "," + result(B, "NOT_BOUND") + ",{\"id\":\"+861");

        assertThat(check(Duration.ofSeconds(5))).hasSize(3).containsOnly(BindingAnswer.noAnswer("BROKEN_RESPONSE"));
    }

    @Test
    void bodyThatIsNotJsonLeavesTheWholeBatchWithoutAnswer() throws Exception {
        respond(200, "<html>maintenance</html>");

        assertThat(check(Duration.ofSeconds(5))).hasSize(3).containsOnly(BindingAnswer.noAnswer("BROKEN_RESPONSE"));
    }

    @Test
    void serverThatNeverAnswersTimesOutTheWholeBatch() throws Exception {
        hang = true;

        // get(5 s) bounds the call: an adapter that waited for the server would fail here, not hang the build
        assertThat(check(Duration.ofMillis(300))).hasSize(3).containsOnly(BindingAnswer.noAnswer("TIMEOUT"));
    }

    @Test
    void refusedConnectionLeavesTheWholeBatchWithoutAnswer() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/platforms/p");

        List<BindingAnswer> answers = adapter(nowhere, Duration.ofSeconds(5)).check(AS_OF, ASKED).get(5, TimeUnit.SECONDS);

        assertThat(withoutCorrelators(answers)).hasSize(3).containsOnly(BindingAnswer.noAnswer("CONNECTION_FAILED"));
    }

    private void respond(int status, String body) {
        this.status = status;
        this.body = body;
    }

    /** The answers, each checked to carry the correlator the server received, then without it (to compare with plain answers). */
    private List<BindingAnswer> check(Duration timeout) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/platforms/p");
        List<BindingAnswer> answers = adapter(base, timeout).check(AS_OF, ASKED).get(5, TimeUnit.SECONDS);
        assertThat(answers).extracting(BindingAnswer::correlator).containsOnly(received.correlator());
        return withoutCorrelators(answers);
    }

    private List<BindingAnswer> collect(String ticket) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/platforms/p");
        return adapter(base, Duration.ofSeconds(5)).collect(ticket, ASKED).get(5, TimeUnit.SECONDS);
    }

    private static List<BindingAnswer> withoutCorrelators(List<BindingAnswer> answers) {
        return answers.stream().map(answer -> new BindingAnswer(answer.status(), answer.accounts(), answer.reason(),
                answer.detail(), null, answer.ticket())).toList();
    }

    private static BindingCheckAdapter adapter(URI base, Duration timeout) {
        // One attempt: these tests are about how a single response is read; retries have their own tests.
        PlatformSettings settings = TestBinding.bind(PlatformSettings.class, "url", base.toString(), "timeout", timeout.toMillis() + "ms",
                "retry.max-attempts", "1");
        return new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry()).create(new Platform("p", settings, base));
    }

    private static String results(String... entries) {
        return "{\"results\":[" + String.join(",", entries) + "]}";
    }

    private static String result(MobileNumber number, String status) {
        return "{\"id\":\"" + number.e164() + "\",\"status\":\"" + status + "\"}";
    }

    private static String result(MobileNumber number, String status, int accounts) {
        return "{\"id\":\"" + number.e164() + "\",\"status\":\"" + status + "\",\"accounts\":" + accounts + "}";
    }
}
