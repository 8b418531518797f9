package com.numberaudit.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.slf4j.Logger;
import tools.jackson.databind.json.JsonMapper;
import org.slf4j.LoggerFactory;

import com.numberaudit.platform.BindingCheckJson;
import com.numberaudit.platform.Hmac;
import com.numberaudit.platform.IdType;

/**
 * A Binding Check API v1 server on a loopback port, serving every platform id at
 * {@code /platforms/<id>/binding-checks} from {@link DemoBindings}, with per-platform
 * {@link SimulatedFaults}. Real HTTP (or HTTPS), so the job and its tests exercise the real client.
 */
public final class BindingCheckSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BindingCheckSimulator.class);
    private static final String PREFIX = "/platforms/";
    private static final String RESOURCE = "/binding-checks";
    private static final String STATS = "/stats";
    private static final JsonMapper STATS_JSON = JsonMapper.builder().build();
    private static final int MAX_RECORDED_ARRIVALS = 10_000;
    private static final long SIGNATURE_WINDOW_MILLIS = Duration.ofMinutes(5).toMillis();
    /** The forms of an id, as docs/binding-check-api.yaml states them. */
    private static final Pattern E164_ID = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern HASHED_ID = Pattern.compile("[0-9a-f]{64}");

    static {
        // The JDK server reads these once, when its configuration class is first used: before any server is made.
        // Like any real API server, answer without Nagle's algorithm: the JDK server writes headers and body
        // separately, and with Nagle the body waits for the client's delayed ACK (40 ms on Linux) every time.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // The simulator stands for every platform at once, each of which would be a server of its own; the JDK
        // server keeps at most 200 idle keep-alive connections (all platforms together) and silently closes any
        // other once it has answered on it, without "Connection: close". The client, which may hold max-concurrency
        // connections per platform (800 for 200 platforms at 4), then sends its next request on a connection
        // already closed: CONNECTION_FAILED (EOFException), enough of them to open circuits in the first seconds
        // (bench scenario p, docs/performance.md "200 platforms at full rate").
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        }
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final DemoBindings bindings;
    private final Function<String, SimulatedFaults> faults;
    private final SimulatedTickets tickets;
    private final Map<String, SimulatedPlatform> platforms = new ConcurrentHashMap<>();

    /** What the simulator remembers per platform id. */
    private static final class SimulatedPlatform {
        final AtomicInteger requests = new AtomicInteger();
        /** 429s sent, whether from the rate limit or a simulated 429 error. */
        final AtomicInteger throttled = new AtomicInteger();
        /** {@link System#nanoTime()} of the earliest and the latest request (MAX_VALUE / MIN_VALUE before any). */
        final AtomicLong firstArrivalNanos = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastArrivalNanos = new AtomicLong(Long.MIN_VALUE);
        final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        /** Requests being answered now. */
        final AtomicInteger held = new AtomicInteger();
        /** As each of the first requests arrived, how many it held then (that one included). */
        final List<Integer> heldAtArrivals = Collections.synchronizedList(new ArrayList<>());
        final Random random;
        final RateLimiter rateLimiter;
        final Map<String, DemoBindings.Entry> hashedBindings;
        final Map<String, Long> recentNonces = new ConcurrentHashMap<>();
        final Map<String, PendingAnswer> tickets = new ConcurrentHashMap<>();

        SimulatedPlatform(String id, SimulatedFaults fault, DemoBindings bindings) {
            random = new Random(id.hashCode());
            rateLimiter = fault.rateLimit() <= 0 ? null : RateLimiter.of(id, RateLimiterConfig.custom()
                    .limitForPeriod((int) Math.max(1, Math.round(fault.rateLimit())))
                    .limitRefreshPeriod(Duration.ofSeconds(1))
                    .timeoutDuration(Duration.ZERO)
                    .build());
            hashedBindings = fault.idKey() == null ? null : bindings.hashedWith(id, fault.idKey());
        }
    }

    /** A 202 answer waiting to be collected. */
    private static final class PendingAnswer {
        final byte[] body;
        int pollsLeft;

        PendingAnswer(byte[] body, int pollsLeft) {
            this.body = body;
            this.pollsLeft = pollsLeft;
        }
    }

    private BindingCheckSimulator(HttpServer server, ExecutorService workers, DemoBindings bindings,
                                  Function<String, SimulatedFaults> faults, SimulatedTickets tickets) {
        this.server = server;
        this.workers = workers;
        this.bindings = bindings;
        this.faults = faults;
        this.tickets = tickets;
    }

    /**
     * @param port   loopback port, 0 for any free one
     * @param faults per platform id, how to behave
     */
    public static BindingCheckSimulator start(int port, DemoBindings bindings, Function<String, SimulatedFaults> faults)
            throws IOException {
        return start(port, bindings, faults, (Path) null);
    }

    /**
     * @param ticketFolder where the tickets of PENDING ids are kept, for the simulator of a later run to answer them
     *                     (a platform that answers days later); null: this simulator's memory only
     */
    public static BindingCheckSimulator start(int port, DemoBindings bindings, Function<String, SimulatedFaults> faults, Path ticketFolder)
            throws IOException {
        return serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024), bindings, faults,
                ticketFolder == null ? SimulatedTickets.inMemory() : SimulatedTickets.in(ticketFolder));
    }

    /**
     * As {@link #start}, over HTTPS: what a platform's TLS looks like to the client, for tests.
     *
     * @param tls            the server's certificate and key, and the CAs it trusts for client certificates
     * @param needClientAuth refuse the handshake of a client that presents no certificate {@code tls} trusts (mutual TLS)
     */
    public static BindingCheckSimulator startHttps(int port, DemoBindings bindings, Function<String, SimulatedFaults> faults,
                                                   SSLContext tls, boolean needClientAuth) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(needClientAuth);
                parameters.setSSLParameters(ssl);
            }
        });
        return serve(server, bindings, faults, SimulatedTickets.inMemory());
    }

    private static BindingCheckSimulator serve(HttpServer server, DemoBindings bindings, Function<String, SimulatedFaults> faults,
                                               SimulatedTickets tickets) {
        ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "binding-check-simulator");
            thread.setDaemon(true);
            return thread;
        });
        BindingCheckSimulator simulator = new BindingCheckSimulator(server, workers, bindings, faults, tickets);
        server.createContext(PREFIX, simulator::handle);
        server.createContext(STATS, simulator::stats);
        server.setExecutor(workers);
        server.start();
        log.info("Binding Check API simulator listening on {}", simulator.baseUrl(""));
        return simulator;
    }

    /** The base URL a platform's adapter is pointed at. */
    public URI baseUrl(String platformId) {
        return URI.create((server instanceof HttpsServer ? "https://" : "http://") + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort() + PREFIX + platformId);
    }

    /** How many requests the platform has received (polls included), whatever was answered. */
    public int requestCount(String platformId) {
        SimulatedPlatform platform = platforms.get(platformId);
        return platform == null ? 0 : platform.requests.get();
    }

    /** When the platform's first requests arrived ({@link System#nanoTime()}), in order; the first 10,000 are kept. */
    public List<Long> arrivals(String platformId) {
        SimulatedPlatform platform = platforms.get(platformId);
        return platform == null ? List.of() : List.copyOf(platform.arrivals);
    }

    /** As each of the platform's first requests arrived, how many requests it was answering then, that one included. */
    public List<Integer> heldAtArrivals(String platformId) {
        SimulatedPlatform platform = platforms.get(platformId);
        return platform == null ? List.of() : List.copyOf(platform.heldAtArrivals);
    }

    @Override
    public void close() {
        log.info("Binding Check API simulator served {}", new TreeMap<>(platforms).entrySet().stream()
                .map(platform -> platform.getKey() + "=" + platform.getValue().requests.get())
                .collect(Collectors.joining(" ", "requests: ", "")));
        server.stop(0);
        workers.shutdownNow();
    }

    /**
     * {@code GET /stats}: per platform id that has been asked, {@code requests} (polls included),
     * {@code throttled} (429s sent), {@code firstArrivalNanos} and {@code lastArrivalNanos}
     * ({@link System#nanoTime()} of this process: only differences between them mean anything).
     */
    private void stats(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!STATS.equals(exchange.getRequestURI().getPath()) || !"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 404, BindingCheckJson.error(404, "NOT_FOUND", "GET /stats"));
                return;
            }
            Map<String, Map<String, Long>> stats = new TreeMap<>();
            platforms.forEach((id, platform) -> {
                long first = platform.firstArrivalNanos.get();
                long last = platform.lastArrivalNanos.get();
                if (first == Long.MAX_VALUE || last == Long.MIN_VALUE) {
                    return; // its first request is still being counted
                }
                stats.put(id, Map.of("requests", (long) platform.requests.get(), "throttled", (long) platform.throttled.get(),
                        "firstArrivalNanos", first, "lastArrivalNanos", last));
            });
            respond(exchange, 200, STATS_JSON.writeValueAsBytes(stats));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            int resource = path.indexOf(RESOURCE);
            if (!path.startsWith(PREFIX) || resource <= PREFIX.length()) {
                respond(exchange, 404, BindingCheckJson.error(404, "NOT_FOUND", "no such resource"));
                return;
            }
            String platformId = path.substring(PREFIX.length(), resource);
            String ticket = path.length() > resource + RESOURCE.length() + 1 && path.charAt(resource + RESOURCE.length()) == '/'
                    ? path.substring(resource + RESOURCE.length() + 1) : null;
            SimulatedFaults fault = faults.apply(platformId);
            SimulatedPlatform platform = platforms.computeIfAbsent(platformId, id -> new SimulatedPlatform(id, fault, bindings));
            long arrival = System.nanoTime();
            platform.firstArrivalNanos.accumulateAndGet(arrival, Math::min);
            platform.lastArrivalNanos.accumulateAndGet(arrival, Math::max);
            int ordinal = platform.requests.incrementAndGet();
            int held = platform.held.incrementAndGet();
            if (ordinal <= MAX_RECORDED_ARRIVALS) {
                platform.arrivals.add(arrival);
                platform.heldAtArrivals.add(held);
            }
            String correlator = exchange.getRequestHeaders().getFirst("x-correlator");
            if (correlator != null) {
                exchange.getResponseHeaders().set("x-correlator", correlator);
            }
            try {
                if (!fault.loadDelay().isZero()) {
                    Thread.sleep(fault.loadDelay().toMillis() * held);
                }
                answer(exchange, path, platformId, ticket, platform, fault, ordinal);
            } finally {
                platform.held.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(HttpExchange exchange, String path, String platformId, String ticket, SimulatedPlatform platform,
                        SimulatedFaults fault, int ordinal) throws IOException, InterruptedException {
        if (fault.hang()) {
            Thread.sleep(Long.MAX_VALUE);
        }
        if (!fault.delay().isZero()) {
            Thread.sleep(fault.delay().toMillis());
        }
        if (platform.rateLimiter != null && !platform.rateLimiter.acquirePermission()) {
            tooManyRequests(exchange, platform, fault);
            return;
        }
        if (fault.errorStatus() > 0 && failsNow(platform, fault, ordinal)) {
            if (fault.errorStatus() == 429) {
                tooManyRequests(exchange, platform, fault);
            } else {
                respond(exchange, fault.errorStatus(), BindingCheckJson.error(fault.errorStatus(), errorCode(fault.errorStatus()),
                        "simulated failure"));
            }
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String refusal = authenticate(exchange, path, body, platform, fault);
        if (refusal != null) {
            respond(exchange, 401, BindingCheckJson.error(401, "UNAUTHENTICATED", refusal));
            return;
        }
        if (ticket != null && "GET".equals(exchange.getRequestMethod())) {
            collect(exchange, platformId, platform, fault, ticket);
            return;
        }
        if (ticket != null || !"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, BindingCheckJson.error(405, "METHOD_NOT_ALLOWED", "POST to binding-checks, GET a ticket"));
            return;
        }
        BindingCheckJson.Request request;
        try {
            request = BindingCheckJson.readRequest(new ByteArrayInputStream(body));
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, BindingCheckJson.error(400, "INVALID_ARGUMENT", e.getMessage()));
            return;
        }
        IdType expected = fault.idKey() == null ? IdType.E164 : IdType.HMAC_SHA256;
        if (!expected.wireName().equals(request.idType())) {
            respond(exchange, 400, BindingCheckJson.error(400, "INVALID_ARGUMENT", "idType must be " + expected.wireName()));
            return;
        }
        String malformed = malformedId(request.ids(), expected);
        if (malformed != null) {
            respond(exchange, 400, BindingCheckJson.error(400, "INVALID_ARGUMENT", malformed));
            return;
        }
        if (request.ids().size() > fault.maxBatch()) {
            respond(exchange, 413, BindingCheckJson.error(413, "TOO_LARGE", "at most " + fault.maxBatch() + " ids per request"));
            return;
        }
        if (anyPending(platformId, platform, request.ids())) {
            respond(exchange, 202, BindingCheckJson.ticket(tickets.give(platformId, request.ids())));
            return;
        }
        byte[] results = results(platformId, platform, fault, request.ids());
        if (fault.asyncPolls() != 0) {
            String newTicket = UUID.randomUUID().toString();
            platform.tickets.put(newTicket, new PendingAnswer(results, fault.asyncPolls()));
            respond(exchange, 202, BindingCheckJson.ticket(newTicket));
            return;
        }
        respond(exchange, 200, fault.brokenJson() ? Arrays.copyOf(results, results.length / 2) : results);
    }

    private byte[] results(String platformId, SimulatedPlatform platform, SimulatedFaults fault, List<String> ids) {
        List<BindingCheckJson.Result> results = new ArrayList<>(ids.size());
        for (String id : ids) {
            DemoBindings.Entry entry = entry(platformId, platform, id);
            if ((entry != null && entry.silent()) || dropped(id, fault.dropRate())) {
                continue;
            }
            results.add(entry == null
                    ? new BindingCheckJson.Result(id, "NOT_BOUND", 0)
                    : new BindingCheckJson.Result(id, "BOUND", entry.accounts()));
        }
        return fault.layout().write(results);
    }

    private DemoBindings.Entry entry(String platformId, SimulatedPlatform platform, String id) {
        return platform.hashedBindings != null ? platform.hashedBindings.get(id) : bindings.lookup(platformId, id);
    }

    /** Whether the bindings say the platform answers any of these ids only later. */
    private boolean anyPending(String platformId, SimulatedPlatform platform, List<String> ids) {
        for (String id : ids) {
            DemoBindings.Entry entry = entry(platformId, platform, id);
            if (entry != null && entry.pending()) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code GET} of a ticket: one of {@code async-polls} is answered after its polls; one for PENDING ids (given by
     * this simulator, or by an earlier one that kept it in the ticket folder) once the bindings no longer say PENDING.
     */
    private void collect(HttpExchange exchange, String platformId, SimulatedPlatform platform, SimulatedFaults fault, String ticket)
            throws IOException {
        PendingAnswer pending = platform.tickets.get(ticket);
        if (pending == null) {
            List<String> ids = tickets.ids(platformId, ticket);
            if (ids == null) {
                respond(exchange, 404, BindingCheckJson.error(404, "NOT_FOUND", "unknown ticket"));
            } else if (anyPending(platformId, platform, ids)) {
                respond(exchange, 202, BindingCheckJson.ticket(ticket));
            } else {
                respond(exchange, 200, results(platformId, platform, fault, ids));
            }
            return;
        }
        synchronized (pending) {
            if (pending.pollsLeft > 0) {
                pending.pollsLeft--;
            }
            if (pending.pollsLeft != 0) {
                respond(exchange, 202, BindingCheckJson.ticket(ticket));
                return;
            }
        }
        platform.tickets.remove(ticket);
        respond(exchange, 200, pending.body);
    }

    /** @return why the request is refused, or null when its credentials are good */
    private static String authenticate(HttpExchange exchange, String path, byte[] body, SimulatedPlatform platform,
                                       SimulatedFaults fault) {
        if (fault.token() != null) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !MessageDigest.isEqual(("Bearer " + fault.token().value()).getBytes(StandardCharsets.UTF_8),
                    authorization.getBytes(StandardCharsets.UTF_8))) {
                return "missing or wrong bearer token";
            }
        }
        if (fault.hmacSecret() != null) {
            String timestamp = exchange.getRequestHeaders().getFirst("X-Timestamp");
            String nonce = exchange.getRequestHeaders().getFirst("X-Nonce");
            String signature = exchange.getRequestHeaders().getFirst("X-Signature");
            if (timestamp == null || nonce == null || signature == null || nonce.length() < 16) {
                return "request is not signed";
            }
            long now = System.currentTimeMillis();
            try {
                if (Math.abs(now - Long.parseLong(timestamp)) > SIGNATURE_WINDOW_MILLIS) {
                    return "timestamp too far from now";
                }
            } catch (NumberFormatException e) {
                return "timestamp is not epoch milliseconds";
            }
            String expected = new Hmac(fault.hmacSecret()).signature(exchange.getRequestMethod(), path, timestamp, nonce, body);
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8))) {
                return "signature does not verify";
            }
            platform.recentNonces.values().removeIf(seen -> now - seen > SIGNATURE_WINDOW_MILLIS);
            if (platform.recentNonces.putIfAbsent(nonce, now) != null) {
                return "nonce already used";
            }
        }
        return null;
    }

    /** @return why the ids are not a valid {@code ids} array of {@code idType}, or null when they are */
    private static String malformedId(List<String> ids, IdType idType) {
        Pattern form = idType == IdType.E164 ? E164_ID : HASHED_ID;
        Set<String> seen = new HashSet<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            if (!form.matcher(ids.get(i)).matches()) {
                return "ids[" + i + "] is not an id of idType " + idType.wireName();
            }
            if (!seen.add(ids.get(i))) {
                return "ids[" + i + "] appears twice";
            }
        }
        return null;
    }

    /** The error code the contract names for an HTTP status (CAMARA names where it names none). */
    private static String errorCode(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 413 -> "TOO_LARGE";
            case 429 -> "TOO_MANY_REQUESTS";
            case 500 -> "INTERNAL";
            case 502 -> "BAD_GATEWAY";
            case 503 -> "UNAVAILABLE";
            case 504 -> "TIMEOUT";
            default -> "SIMULATED";
        };
    }

    private static void tooManyRequests(HttpExchange exchange, SimulatedPlatform platform, SimulatedFaults fault)
            throws IOException {
        platform.throttled.incrementAndGet();
        exchange.getResponseHeaders().set("Retry-After", Long.toString(fault.retryAfter().toSeconds()));
        respond(exchange, 429, BindingCheckJson.error(429, "TOO_MANY_REQUESTS", "over the rate limit"));
    }

    private static boolean failsNow(SimulatedPlatform platform, SimulatedFaults fault, int ordinal) {
        if (fault.failFirst() > 0) {
            return ordinal <= fault.failFirst();
        }
        synchronized (platform.random) {
            return platform.random.nextDouble() < fault.errorRate();
        }
    }

    /** Whether an id is left out at a drop rate: the same ids on every request, so a retry does not hide the fault. */
    public static boolean dropped(String id, double rate) {
        return rate > 0 && Math.floorMod(id.hashCode() * 0x9E3779B9, 10_000) < rate * 10_000;
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
