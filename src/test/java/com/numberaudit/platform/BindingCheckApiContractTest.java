package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;

import com.numberaudit.TestBinding;
import com.numberaudit.number.MobileNumber;
import com.numberaudit.demo.BindingCheckSimulator;
import com.numberaudit.demo.DemoBindings;
import com.numberaudit.demo.AnswerLayout;
import com.numberaudit.demo.SimulatedFaults;

/**
 * Both sides of Binding Check API v1 agree with docs/binding-check-api.yaml: every request the
 * real client sends and every response the simulator gives is validated against the document.
 * The document's paths are relative to a platform's base URL, so each validator is told the
 * base path it is used under ({@code withBasePathOverride}).
 */
class BindingCheckApiContractTest {

    private static final Path SPEC = Path.of("docs/binding-check-api.yaml");
    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 28);
    private static final MobileNumber BOUND = new MobileNumber(13832738807L);
    private static final MobileNumber NOT_BOUND = new MobileNumber(13912345678L);
    /** The simulator serves this platform at {@code /platforms/p}; the recorder plays a platform at another base path. */
    private static final String PLATFORM = "p";
    private static final String RECORDER_BASE_PATH = "/api/binding-check/v1";
    private static final Pattern TICKET_PATH = Pattern.compile(".*/binding-checks/([^/]+)");
    private static final DemoBindings BINDINGS = DemoBindings.read(new ByteArrayInputStream(
            "number,platform,status,accounts\n13832738807,p,BOUND,2\n".getBytes(StandardCharsets.UTF_8)), "contract test");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** One validator per base path the document is used under; building the first one is most of this test's time. */
    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();
    private static String spec;

    private BindingCheckSimulator simulator;

    private ExecutorService recorderThreads;
    private HttpServer recorder;
    private final List<Captured> captured = Collections.synchronizedList(new ArrayList<>());
    private final List<ValidationReport> recorderAnswers = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, List<String>> tickets = new ConcurrentHashMap<>();
    private volatile boolean answerWithTicket;

    /** A request as the recorder received it. */
    record Captured(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    @BeforeAll
    static void readSpec() throws IOException {
        spec = Files.readString(SPEC);
    }

    /** Starts the simulator for this test, serving platform {@value #PLATFORM} with {@code faults}. */
    private void simulate(SimulatedFaults faults) throws IOException {
        simulator = BindingCheckSimulator.start(0, BINDINGS, id -> faults);
    }

    private static SimulatedFaults faults(int errorStatus, double dropRate, int maxBatch, String token, String hmacSecret,
                                          String idKey, int asyncPolls) {
        return new SimulatedFaults(errorStatus, 1.0, 0, false, dropRate, Duration.ZERO, Duration.ZERO, false, maxBatch, 0, Duration.ofSeconds(7),
                token == null ? null : new Secret(token), hmacSecret == null ? null : new Secret(hmacSecret),
                idKey == null ? null : new Secret(idKey), asyncPolls, AnswerLayout.COMPACT);
    }

    @BeforeEach
    void startRecorder() throws IOException {
        recorderThreads = Executors.newCachedThreadPool();
        recorder = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        recorder.createContext("/", this::record);
        recorder.setExecutor(recorderThreads);
        recorder.start();
    }

    @AfterEach
    void stopServers() {
        recorder.stop(0);
        recorderThreads.shutdownNow();
        if (simulator != null) {
            simulator.close();
        }
    }

    // ---------------------------------------------------------------- the document itself

    @Test
    void theDocumentIsAValidOpenApi303Document() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(spec, null, options);

        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.0.3");
        assertThat(parsed.getOpenAPI().getPaths()).containsOnlyKeys("/binding-checks", "/binding-checks/{ticket}");
        assertThat(parsed.getOpenAPI().getServers().get(0).getVariables()).containsKey("baseUrl");
        assertThat(parsed.getOpenAPI().getPaths().get("/binding-checks").getPost().getResponses())
                .containsOnlyKeys("200", "202", "400", "401", "403", "413", "429", "500", "502", "503", "504");
        assertThat(parsed.getOpenAPI().getPaths().get("/binding-checks/{ticket}").getGet().getResponses())
                .containsKeys("200", "202", "404");
    }

    // ---------------------------------------------------------------- the client agrees with the document

    @Test
    void theClientSendsE164IdsAsTheDocumentSays() throws Exception {
        List<BindingAnswer> answers = clientCheck();

        assertThat(answers).containsExactly(BindingAnswer.bound(2), BindingAnswer.NOT_BOUND);
        Captured post = onlyRequest();
        assertValidRequest(post);
        assertThat(new String(post.body(), StandardCharsets.UTF_8)).contains("\"idType\":\"E164\"", "\"+8613832738807\"");
        assertThat(post.header("Authorization")).isNull();
        assertThat(post.header("X-Signature")).isNull();
    }

    @Test
    void theClientSendsHashedIdsAsTheDocumentSays() throws Exception {
        List<BindingAnswer> answers = clientCheck("id-type", "HMAC-SHA256", "id-key", "k3y");

        assertThat(answers).containsExactly(BindingAnswer.bound(2), BindingAnswer.NOT_BOUND);
        Captured post = onlyRequest();
        assertValidRequest(post);
        String body = new String(post.body(), StandardCharsets.UTF_8);
        assertThat(body).contains("\"idType\":\"HMAC-SHA256\"", "\"" + new Hmac(new Secret("k3y")).hashedId(BOUND.e164()) + "\"")
                .doesNotContain("+86");
    }

    @Test
    void theClientSendsATokenAndASignatureAsTheDocumentSays() throws Exception {
        List<BindingAnswer> answers = clientCheck("token", "t0k", "hmac-secret", "s3cr3t", "id-type", "HMAC-SHA256", "id-key", "k3y");

        assertThat(answers).containsExactly(BindingAnswer.bound(2), BindingAnswer.NOT_BOUND);
        Captured post = onlyRequest();
        assertValidRequest(post);
        assertThat(post.header("Authorization")).isEqualTo("Bearer t0k");
        assertSignedAsTheDocumentSays(post);
    }

    @Test
    void theClientPollsATicketAsTheDocumentSays() throws Exception {
        answerWithTicket = true;

        List<BindingAnswer> answers = clientCheck("token", "t0k", "hmac-secret", "s3cr3t");

        assertThat(answers).containsExactly(BindingAnswer.bound(2), BindingAnswer.NOT_BOUND);
        assertThat(captured).extracting(Captured::method).containsExactly("POST", "GET");
        Captured poll = captured.get(1);
        assertThat(poll.path()).matches(Pattern.quote(RECORDER_BASE_PATH) + "/binding-checks/t-[0-9a-f-]+");
        for (Captured request : captured) {
            assertValidRequest(request);
            assertThat(request.header("Authorization")).isEqualTo("Bearer t0k");
            assertSignedAsTheDocumentSays(request);
        }
        assertThat(recorderAnswers).hasSize(2).allSatisfy(report -> assertNoErrors(report, "recorder's own answer"));
    }

    // ---------------------------------------------------------------- the simulator agrees with the document

    @Test
    void theSimulatorAnswersBoundAndNotBoundAsTheDocumentSays() throws Exception {
        simulate(SimulatedFaults.NONE);
        String correlator = UUID.randomUUID().toString();

        HttpResponse<String> response = post( e164Body(BOUND, NOT_BOUND), 200, "x-correlator", correlator);

        assertThat(response.headers().firstValue("x-correlator")).contains(correlator);
        assertThat(response.body()).isEqualTo("{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":2},"
                + "{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"}]}");
    }

    @Test
    void theSimulatorAnswersHashedIdsAsTheDocumentSays() throws Exception {
        simulate(faults(0, 0, 500, null, null, "k3y", 0));
        Hmac ids = new Hmac(new Secret("k3y"));
        String bound = ids.hashedId(BOUND.e164());
        String notBound = ids.hashedId(NOT_BOUND.e164());
        String body = "{\"asOf\":\"2026-11-28\",\"idType\":\"HMAC-SHA256\",\"ids\":[\"" + bound + "\",\"" + notBound + "\"]}";

        HttpResponse<String> response = post(body, 200);

        assertThat(response.body()).isEqualTo("{\"results\":[{\"id\":\"" + bound + "\",\"status\":\"BOUND\",\"accounts\":2},"
                + "{\"id\":\"" + notBound + "\",\"status\":\"NOT_BOUND\"}]}");
    }

    @Test
    void theSimulatorHandsOutATicketAndAnswersItsPollsAsTheDocumentSays() throws Exception {
        simulate(faults(0, 0, 500, null, null, null, 2));
        HttpResponse<String> accepted = post(e164Body(BOUND, NOT_BOUND), 202, "x-correlator", UUID.randomUUID().toString());
        String ticket = BindingCheckJson.readTicket(accepted.body().getBytes(StandardCharsets.UTF_8));

        poll(ticket, 202);
        HttpResponse<String> answered = poll(ticket, 200, "x-correlator", UUID.randomUUID().toString());
        poll(ticket, 404);
        poll("no-such-ticket", 404);

        assertThat(answered.body()).isEqualTo("{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":2},"
                + "{\"id\":\"+8613912345678\",\"status\":\"NOT_BOUND\"}]}");
    }

    @Test
    void theSimulatorRefusesMalformedRequestsWith400AsTheDocumentSays() throws Exception {
        simulate(SimulatedFaults.NONE);
        List<String> malformed = List.of(
                "not json",
                "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\"}",
                "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[]}",
                "{\"asOf\":\"28.11.2026\",\"idType\":\"E164\",\"ids\":[\"+8613832738807\"]}",
                "{\"asOf\":\"2026-11-28\",\"idType\":\"HMAC-SHA256\",\"ids\":[\"+8613832738807\"]}",
                "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[\"13832738807\"]}",
                "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[\"+8613832738807\",\"+8613832738807\"]}");
        for (String body : malformed) {
            // These requests break the document on purpose: only the answer is checked against it.
            HttpResponse<String> response = send("POST", "/binding-checks", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertValidResponse("POST", "/binding-checks", response);
            assertThat(response.body()).contains("\"code\":\"INVALID_ARGUMENT\"");
        }
    }

    @Test
    void theSimulatorRefusesMissingOrWrongCredentialsWith401AsTheDocumentSays() throws Exception {
        simulate(faults(0, 0, 500, "t0k", null, null, 0));
        String body = e164Body(BOUND);
        assertThat(post(body, 401).body()).contains("\"code\":\"UNAUTHENTICATED\"");
        post(body, 401, "Authorization", "Bearer wrong");
        post(body, 200, "Authorization", "Bearer t0k");
    }

    @Test
    void theSimulatorRefusesMissingOrBadSignaturesWith401AsTheDocumentSays() throws Exception {
        simulate(faults(0, 0, 500, null, "s3cr3t", null, 0));
        String body = e164Body(BOUND);
        String[] signed = signature("POST", basePath() + "/binding-checks", body);

        post(body, 401);
        post(body, 200, signed);
        post(body, 401, signed); // the same nonce again
        post(e164Body(NOT_BOUND), 401, signature("POST", basePath() + "/binding-checks", body)); // signed another body
    }

    @Test
    void theSimulatorRefusesABatchAboveItsLimitWith413AsTheDocumentSays() throws Exception {
        simulate(faults(0, 0, 2, null, null, null, 0));
        MobileNumber third = new MobileNumber(15000000001L);

        HttpResponse<String> response = post(e164Body(BOUND, NOT_BOUND, third), 413);

        assertThat(response.body()).contains("\"code\":\"TOO_LARGE\"");
        post(e164Body(BOUND, NOT_BOUND), 200);
    }

    @Test
    void theSimulatorAnswers429WithRetryAfterAsTheDocumentSays() throws Exception {
        simulate(faults(429, 0, 500, null, null, null, 0));

        HttpResponse<String> response = post(e164Body(BOUND), 429);

        assertThat(response.headers().firstValue("Retry-After")).contains("7");
        assertThat(response.body()).contains("\"code\":\"TOO_MANY_REQUESTS\"");
    }

    @Test
    void theSimulatorAnswers500AsTheDocumentSays() throws Exception {
        simulate(faults(500, 0, 500, null, null, null, 0));

        post(e164Body(BOUND), 500);
        poll("any-ticket", 500);
    }

    @Test
    void aResponseThatDropsIdsIsStillSchemaValidTheViolationIsSemantic() throws Exception {
        simulate(faults(0, 0.5, 500, null, null, null, 0));
        List<MobileNumber> asked = IntStream.range(0, 20).mapToObj(i -> new MobileNumber(13900000000L + i)).toList();

        HttpResponse<String> response = post(e164Body(asked.toArray(MobileNumber[]::new)), 200);

        List<BindingCheckJson.Result> answered = new ArrayList<>();
        BindingCheckJson.readResults(response.body().getBytes(StandardCharsets.UTF_8), new BindingCheckJsonTest.ResultList(answered));
        assertThat(answered).isNotEmpty().hasSizeLessThan(asked.size());
    }

    @Test
    void theSimulatorSendsNoBogusCorrelatorWhenTheRequestHasNone() throws Exception {
        simulate(SimulatedFaults.NONE);

        HttpResponse<String> response = post(e164Body(NOT_BOUND), 200);

        assertThat(response.headers().firstValue("x-correlator")).isEmpty();
    }

    // ---------------------------------------------------------------- the validation can fail

    @Test
    void responsesThatBreakTheDocumentFailValidation() {
        OpenApiInteractionValidator validator = validator("/platforms/" + PLATFORM);
        Map<String, SimpleResponse> wrong = Map.of(
                "unknown status", json(200, "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"MAYBE\"}]}"),
                "zero accounts", json(200, "{\"results\":[{\"id\":\"+8613832738807\",\"status\":\"BOUND\",\"accounts\":0}]}"),
                "no results", json(200, "{\"answers\":[]}"),
                "id without +", json(200, "{\"results\":[{\"id\":\"8613832738807\",\"status\":\"NOT_BOUND\"}]}"),
                "202 without ticket", json(202, "{}"),
                "429 without Retry-After", json(429, "{\"status\":429,\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"slow down\"}"),
                "error without code", json(500, "{\"status\":500,\"message\":\"oops\"}"),
                "undocumented status", json(418, "{\"status\":418,\"code\":\"TEAPOT\",\"message\":\"no\"}"),
                "x-correlator echoed as the text null", SimpleResponse.Builder.status(200).withContentType("application/json")
                        .withHeader("x-correlator", "null").withBody("{\"results\":[]}").build(),
                "Retry-After not in seconds", SimpleResponse.Builder.status(429).withContentType("application/json")
                        .withHeader("Retry-After", "soon")
                        .withBody("{\"status\":429,\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"slow down\"}").build());
        wrong.forEach((what, response) -> assertThat(
                validator.validateResponse("/platforms/p/binding-checks", Request.Method.POST, response).hasErrors()).as(what).isTrue());
    }

    @Test
    void requestsThatBreakTheDocumentFailValidation() {
        OpenApiInteractionValidator validator = validator("/platforms/" + PLATFORM);
        String ids501 = IntStream.range(0, 501).mapToObj(i -> "\"+86139" + String.format("%08d", i) + "\"").collect(Collectors.joining(","));
        Map<String, String> wrong = Map.of(
                "repeated id", "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[\"+8613832738807\",\"+8613832738807\"]}",
                "id without +", "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[\"8613832738807\"]}",
                "upper-case hash", "{\"asOf\":\"2026-11-28\",\"idType\":\"HMAC-SHA256\",\"ids\":[\"" + "AB".repeat(32) + "\"]}",
                "unknown idType", "{\"asOf\":\"2026-11-28\",\"idType\":\"MSISDN\",\"ids\":[\"+8613832738807\"]}",
                "no asOf", "{\"idType\":\"E164\",\"ids\":[\"+8613832738807\"]}",
                "no ids", "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[]}",
                "501 ids", "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[" + ids501 + "]}");
        wrong.forEach((what, body) -> assertThat(validator.validateRequest(SimpleRequest.Builder.post("/platforms/p/binding-checks")
                .withContentType("application/json").withBody(body).build()).hasErrors()).as(what).isTrue());
        assertThat(validator.validateRequest(SimpleRequest.Builder.post("/platforms/p/binding-checks")
                .withContentType("application/json").withHeader("x-correlator", "not-a-uuid")
                .withBody(e164Body(BOUND)).build()).hasErrors()).as("x-correlator not a uuid").isTrue();
        assertThat(validator.validateRequest(SimpleRequest.Builder.get("/platforms/p/binding-checks/bad%20ticket").build())
                .hasErrors()).as("ticket with a space").isTrue();
    }

    // ---------------------------------------------------------------- the recorder: a platform that only records

    private List<BindingAnswer> clientCheck(String... settings) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + recorder.getAddress().getPort() + RECORDER_BASE_PATH);
        List<String> keysAndValues = new ArrayList<>(List.of("url", base.toString(), "retry.max-attempts", "1", "pending-wait", "4s"));
        keysAndValues.addAll(List.of(settings));
        PlatformSettings platformSettings = TestBinding.bind(PlatformSettings.class, keysAndValues.toArray(String[]::new));
        try (BindingCheckApiAdapterFactory factory = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry())) {
            List<BindingAnswer> answers = factory.create(new Platform("p", platformSettings, base)).check(AS_OF, List.of(BOUND, NOT_BOUND))
                    .get(5, TimeUnit.SECONDS);
            // the answers came with the last request (a ticket's answer with the poll), and carry its correlator
            assertThat(answers).extracting(BindingAnswer::correlator).containsOnly(captured.get(captured.size() - 1).header("x-correlator"));
            return answers.stream().map(answer -> new BindingAnswer(answer.status(), answer.accounts(), answer.reason(), null, null, null))
                    .toList();
        }
    }

    /** Records the request and answers as a well-behaved platform: the first id BOUND with 2 accounts, the rest NOT_BOUND. */
    private void record(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            captured.add(new Captured(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
            int status;
            byte[] answer;
            Matcher ticket = TICKET_PATH.matcher(path);
            if ("GET".equals(exchange.getRequestMethod()) && ticket.matches() && tickets.containsKey(ticket.group(1))) {
                status = 200;
                answer = results(tickets.remove(ticket.group(1)));
            } else if ("POST".equals(exchange.getRequestMethod())) {
                List<String> ids = BindingCheckJson.readRequest(new ByteArrayInputStream(body)).ids();
                if (answerWithTicket) {
                    String newTicket = "t-" + UUID.randomUUID();
                    tickets.put(newTicket, ids);
                    status = 202;
                    answer = BindingCheckJson.ticket(newTicket);
                } else {
                    status = 200;
                    answer = results(ids);
                }
            } else {
                status = 404;
                answer = BindingCheckJson.error(404, "NOT_FOUND", "no such resource");
            }
            String correlator = exchange.getRequestHeaders().getFirst("x-correlator");
            if (correlator != null) {
                exchange.getResponseHeaders().set("x-correlator", correlator);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            recorderAnswers.add(validator(RECORDER_BASE_PATH).validateResponse(path,
                    Request.Method.valueOf(exchange.getRequestMethod()), json(status, new String(answer, StandardCharsets.UTF_8))));
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private static byte[] results(List<String> ids) {
        List<BindingCheckJson.Result> results = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            results.add(new BindingCheckJson.Result(ids.get(i), i == 0 ? "BOUND" : "NOT_BOUND", i == 0 ? 2 : 0));
        }
        return BindingCheckJson.results(results);
    }

    private Captured onlyRequest() {
        assertThat(captured).hasSize(1);
        assertThat(captured.get(0).method()).isEqualTo("POST");
        assertThat(captured.get(0).path()).isEqualTo(RECORDER_BASE_PATH + "/binding-checks");
        return captured.get(0);
    }

    private static void assertValidRequest(Captured request) {
        SimpleRequest.Builder builder = new SimpleRequest.Builder(request.method(), request.path());
        request.headers().forEach(builder::withHeader);
        if (request.body().length > 0) {
            builder.withBody(request.body());
        }
        assertNoErrors(validator(RECORDER_BASE_PATH).validateRequest(builder.build()), request.method() + " " + request.path());
        // The document leaves x-correlator optional (CAMARA); this client always sends one.
        assertThat(request.header("x-correlator")).as("x-correlator").isNotNull();
        assertThat(UUID.fromString(request.header("x-correlator")).toString()).isEqualTo(request.header("x-correlator"));
    }

    /** X-Signature is base64(HMAC-SHA256(secret, METHOD\npath\ntimestamp\nnonce\nhex(sha256(body)))). */
    private static void assertSignedAsTheDocumentSays(Captured request) {
        String timestamp = request.header("X-Timestamp");
        String nonce = request.header("X-Nonce");
        assertThat(Math.abs(System.currentTimeMillis() - Long.parseLong(timestamp))).isLessThan(Duration.ofMinutes(5).toMillis());
        assertThat(nonce).hasSizeGreaterThanOrEqualTo(16);
        assertThat(request.header("X-Signature")).isEqualTo(
                new Hmac(new Secret("s3cr3t")).signature(request.method(), request.path(), timestamp, nonce, request.body()));
    }

    // ---------------------------------------------------------------- talking to the simulator by hand

    /** POSTs a request that follows the document (checked), and checks the simulator's answer against the document. */
    private HttpResponse<String> post(String body, int expectedStatus, String... headers) throws Exception {
        return exchange("POST", "/binding-checks", body, expectedStatus, headers);
    }

    private HttpResponse<String> poll(String ticket, int expectedStatus, String... headers) throws Exception {
        return exchange("GET", "/binding-checks/" + ticket, null, expectedStatus, headers);
    }

    private HttpResponse<String> exchange(String method, String relativePath, String body, int expectedStatus,
                                                 String... headers) throws Exception {
        String path = basePath() + relativePath;
        SimpleRequest.Builder asSent = new SimpleRequest.Builder(method, path);
        if (body != null) {
            asSent.withContentType("application/json").withBody(body);
        }
        for (int i = 0; i < headers.length; i += 2) {
            asSent.withHeader(headers[i], headers[i + 1]);
        }
        assertNoErrors(validator(basePath()).validateRequest(asSent.build()), "request " + method + " " + path);

        HttpResponse<String> response = send(method, relativePath, body, headers);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
        assertValidResponse(method, relativePath, response);
        return response;
    }

    private HttpResponse<String> send(String method, String relativePath, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.baseUrl(PLATFORM) + relativePath))
                .timeout(Duration.ofSeconds(3));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertValidResponse(String method, String relativePath, HttpResponse<String> response) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.statusCode()).withBody(response.body());
        response.headers().map().forEach(builder::withHeader);
        assertNoErrors(validator(basePath()).validateResponse(basePath() + relativePath, Request.Method.valueOf(method),
                builder.build()), "response " + response.statusCode() + " to " + method + " " + relativePath + ": " + response.body());
    }

    /** The three HMAC signing headers, as the document states the rule. */
    private static String[] signature(String method, String path, String body) {
        String timestamp = Long.toString(System.currentTimeMillis());
        String nonce = UUID.randomUUID().toString().replace("-", "");
        String signature = new Hmac(new Secret("s3cr3t")).signature(method, path, timestamp, nonce, body.getBytes(StandardCharsets.UTF_8));
        return new String[] {"X-Timestamp", timestamp, "X-Nonce", nonce, "X-Signature", signature};
    }

    private String basePath() {
        return simulator.baseUrl(PLATFORM).getRawPath();
    }

    private static String e164Body(MobileNumber... numbers) {
        String ids = Arrays.stream(numbers).map(number -> "\"" + number.e164() + "\"").collect(Collectors.joining(","));
        return "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[" + ids + "]}";
    }

    // ---------------------------------------------------------------- validation

    private static OpenApiInteractionValidator validator(String basePath) {
        return VALIDATORS.computeIfAbsent(basePath, path -> OpenApiInteractionValidator.createForInlineApiSpecification(spec)
                .withBasePathOverride(path)
                .build());
    }

    private static SimpleResponse json(int status, String body) {
        return SimpleResponse.Builder.status(status).withContentType("application/json").withBody(body).build();
    }

    private static void assertNoErrors(ValidationReport report, String what) {
        assertThat(report.hasErrors()).as(what + " breaks docs/binding-check-api.yaml: " + report.getMessages()).isFalse();
    }
}
