package com.numberaudit.it;

import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Just enough of the Chrome DevTools protocol, over the JDK's own WebSocket: a command is {@code {id, method, params,
 * sessionId}} and its reply the message with the same id; every other message is an event, kept in the order it came.
 * Every wait is bounded by {@link #WAIT}.
 */
final class DevTools implements AutoCloseable {

    /** The longest any one command or event may take: a page of a few kB, on a busy 2-core machine. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An event: its method, the session it belongs to (null for the browser's own), its params. */
    record Event(String method, String sessionId, JsonNode params) {
    }

    /** Set once, by {@link #connect}, before any command. */
    private WebSocket socket;
    private final AtomicInteger lastId = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    /** Guarded by itself; waiters are woken through it. */
    private final List<Event> events = new ArrayList<>();

    private DevTools() {
    }

    static DevTools connect(URI webSocketUrl) {
        DevTools devTools = new DevTools();
        try {
            devTools.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
                    .buildAsync(webSocketUrl, devTools.new Reader()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return devTools;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + webSocketUrl, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to DevTools at " + webSocketUrl, e);
        }
    }

    /** A command to the browser itself (Target.*). */
    JsonNode send(String method, Map<String, ?> params) {
        return send(null, method, params);
    }

    /** A command to the target attached as {@code sessionId}; its result, or the test fails with the protocol's error. */
    JsonNode send(String sessionId, String method, Map<String, ?> params) {
        int id = lastId.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        try {
            // one message at a time: the JDK's WebSocket refuses a send while another is under way
            synchronized (socket) {
                socket.sendText(JSON.writeValueAsString(message), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            JsonNode answer = reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (answer.has("error")) {
                return fail("%s failed: %s", method, answer.get("error"));
            }
            return answer.get("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + method, e);
        } catch (ExecutionException | TimeoutException e) {
            return fail("no reply to %s within %s (%s)", method, WAIT, e);
        } finally {
            replies.remove(id);
        }
    }

    /** The events so far, in the order they came. */
    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Waits for the first event from position {@code from} on that {@code matches}. */
    Event awaitEvent(int from, Predicate<Event> matches, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (events) {
            for (int next = from; ; ) {
                for (; next < events.size(); next++) {
                    if (matches.test(events.get(next))) {
                        return events.get(next);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return fail("no %s within %s; events: %s", what, WAIT, events.stream().map(Event::method).toList());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(events, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + what, e);
                }
            }
        }
    }

    private void received(String text) {
        JsonNode message = JSON.readTree(text);
        if (message.has("id")) {
            CompletableFuture<JsonNode> reply = replies.get(message.get("id").asInt());
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        Event event = new Event(message.path("method").asString(), message.has("sessionId") ? message.get("sessionId").asString() : null,
                message.path("params"));
        synchronized (events) {
            events.add(event);
            events.notifyAll();
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    /** Puts a message's fragments together (a screenshot comes in many) and hands each whole message on. */
    private final class Reader implements WebSocket.Listener {

        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence fragment, boolean last) {
            message.append(fragment);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                received(text);
            }
            socket.request(1);
            return null;
        }
    }
}
