package com.numberaudit.platform.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.numberaudit.platform.BindingCheckJson;

/**
 * A Binding Check API v1 server on a loopback port, serving every platform id at
 * {@code /platforms/<id>/binding-checks} from {@link DemoBindings}, with per-platform
 * {@link SimulatedFaults}. Real HTTP, so the job and its tests exercise the real client.
 */
public final class BindingCheckSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BindingCheckSimulator.class);
    private static final String PREFIX = "/platforms/";
    private static final String SUFFIX = "/binding-checks";

    private final HttpServer server;
    private final ExecutorService workers;
    private final DemoBindings bindings;
    private final Function<String, SimulatedFaults> faults;
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final Map<String, Random> randoms = new ConcurrentHashMap<>();

    private BindingCheckSimulator(HttpServer server, ExecutorService workers, DemoBindings bindings,
                                  Function<String, SimulatedFaults> faults) {
        this.server = server;
        this.workers = workers;
        this.bindings = bindings;
        this.faults = faults;
    }

    /**
     * @param port   loopback port, 0 for any free one
     * @param faults per platform id, how to misbehave
     */
    public static BindingCheckSimulator start(int port, DemoBindings bindings, Function<String, SimulatedFaults> faults)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "binding-check-simulator");
            thread.setDaemon(true);
            return thread;
        });
        BindingCheckSimulator simulator = new BindingCheckSimulator(server, workers, bindings, faults);
        server.createContext(PREFIX, simulator::handle);
        server.setExecutor(workers);
        server.start();
        log.info("Binding Check API simulator listening on {}", server.getAddress());
        return simulator;
    }

    /** The base URL a platform's adapter is pointed at. */
    public URI baseUrl(String platformId) {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort()
                + PREFIX + platformId);
    }

    /** How many requests the platform has received, whatever was answered. */
    public int requestCount(String platformId) {
        AtomicInteger count = requestCounts.get(platformId);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || path.length() <= PREFIX.length() + SUFFIX.length()) {
                respond(exchange, 404, BindingCheckJson.error(404, "NOT_FOUND", "no such resource"));
                return;
            }
            String platformId = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
            requestCounts.computeIfAbsent(platformId, id -> new AtomicInteger()).incrementAndGet();
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, BindingCheckJson.error(405, "METHOD_NOT_ALLOWED", "use POST"));
                return;
            }
            answer(exchange, platformId, faults.apply(platformId));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(HttpExchange exchange, String platformId, SimulatedFaults fault) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("x-correlator", String.valueOf(exchange.getRequestHeaders().getFirst("x-correlator")));
        if (fault.hang()) {
            Thread.sleep(Long.MAX_VALUE);
        }
        if (!fault.delay().isZero()) {
            Thread.sleep(fault.delay().toMillis());
        }
        if (fault.errorStatus() > 0 && chance(platformId, fault.errorRate())) {
            respond(exchange, fault.errorStatus(), BindingCheckJson.error(fault.errorStatus(), "SIMULATED", "simulated failure"));
            return;
        }
        BindingCheckJson.Request request;
        try (InputStream body = exchange.getRequestBody()) {
            request = BindingCheckJson.readRequest(body);
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, BindingCheckJson.error(400, "INVALID_ARGUMENT", e.getMessage()));
            return;
        }
        if (request.ids().size() > fault.maxBatch()) {
            respond(exchange, 413, BindingCheckJson.error(413, "TOO_LARGE", "at most " + fault.maxBatch() + " ids per request"));
            return;
        }
        List<BindingCheckJson.Result> results = new ArrayList<>(request.ids().size());
        for (String id : request.ids()) {
            DemoBindings.Entry entry = bindings.lookup(platformId, id);
            if ((entry != null && entry.silent()) || dropped(id, fault.dropRate())) {
                continue;
            }
            results.add(entry == null
                    ? new BindingCheckJson.Result(id, "NOT_BOUND", 0)
                    : new BindingCheckJson.Result(id, "BOUND", entry.accounts()));
        }
        byte[] body = BindingCheckJson.results(results);
        if (fault.brokenJson()) {
            body = Arrays.copyOf(body, body.length / 2);
        }
        respond(exchange, 200, body);
    }

    private boolean chance(String platformId, double rate) {
        Random random = randoms.computeIfAbsent(platformId, id -> new Random(id.hashCode()));
        synchronized (random) {
            return random.nextDouble() < rate;
        }
    }

    /** The same ids are dropped on every request, so a retry does not hide the fault. */
    private static boolean dropped(String id, double rate) {
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
