package com.numberaudit.platform;

import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One HTTP exchange of Binding Check API v1 with one platform: builds the request (bearer token,
 * HMAC signature), sends it with Jetty's non-blocking client, and classifies the response into an
 * {@link ExchangeOutcome}. No retry, no pacing: those are composed around it.
 */
final class BindingCheckExchange implements PlatformExchange {

    private static final SecureRandom NONCES = new SecureRandom();
    /** 500 results are about 25 KB; far above any real answer, but bounded. */
    private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
    /**
     * Beyond the platform's {@code timeout}, how long a request may wait on this machine (for a connection, for a
     * busy selector) before Jetty's total timeout gives up on it: the 5 s connect timeout and as much again.
     */
    private static final Duration LOCAL_ALLOWANCE = Duration.ofSeconds(10);

    private final HttpClient http;
    private final URI endpoint;
    /** Set here, once per platform: Jetty would otherwise build and parse a java.net.URI per request for it. */
    private final String host;
    private final Duration timeout;
    private final IdType idType;
    private final Secret token;
    private final ThreadLocal<Hmac> signer;
    private final AdaptiveConcurrency concurrency;

    /** @param concurrency learns from each exchange how many requests the platform takes in time */
    BindingCheckExchange(Platform platform, HttpClient http, AdaptiveConcurrency concurrency) {
        this.http = http;
        this.concurrency = concurrency;
        String base = platform.baseUrl().toString();
        this.endpoint = URI.create(base.endsWith("/") ? base + "binding-checks" : base + "/binding-checks");
        this.host = endpoint.getRawAuthority();
        PlatformSettings settings = platform.settings();
        this.timeout = settings.timeout();
        this.idType = settings.idType();
        this.token = settings.token();
        this.signer = settings.hmacSecret() == null ? null : ThreadLocal.withInitial(() -> new Hmac(settings.hmacSecret()));
    }

    /** {@code POST {url}/binding-checks} for {@code ids} (already in wire form: E.164 or hex, as ASCII bytes). */
    @Override
    public CompletableFuture<ExchangeOutcome> post(LocalDate asOf, List<byte[]> ids) {
        byte[] body = BindingCheckJson.request(asOf, idType.wireName(), ids);
        Request request = http.newRequest(endpoint)
                .method(HttpMethod.POST)
                .body(new BytesRequestContent("application/json", body));
        String correlator = UUID.randomUUID().toString();
        return send(authorize(request, "POST", endpoint, body, correlator), ids, correlator);
    }

    /** {@code GET {url}/binding-checks/{ticket}}: the answer to an earlier 202. */
    @Override
    public CompletableFuture<ExchangeOutcome> poll(String ticket, List<byte[]> ids) {
        URI ticketUri = URI.create(endpoint + "/" + ticket);
        String correlator = UUID.randomUUID().toString();
        return send(authorize(http.newRequest(ticketUri).method(HttpMethod.GET), "GET", ticketUri, new byte[0], correlator),
                ids, correlator);
    }

    /** @param correlator the request's {@code x-correlator}, which every answer it brings carries (the ledger keeps it) */
    private Request authorize(Request request, String method, URI uri, byte[] body, String correlator) {
        // Jetty's request timeout is total and starts when the request is queued for a connection, so time spent
        // here (waiting for a connection, a busy selector) would count as the platform's: it is only the backstop
        // against a request that never leaves this machine; the platform's own time is bounded in send()
        request.timeout(timeout.toNanos() + LOCAL_ALLOWANCE.toNanos(), TimeUnit.NANOSECONDS);
        String bearer = token == null ? null : "Bearer " + token.value();
        String[] signature = null;
        if (signer != null) {
            String timestamp = Long.toString(System.currentTimeMillis());
            byte[] nonceBytes = new byte[16];
            NONCES.nextBytes(nonceBytes);
            String nonce = HexFormat.of().formatHex(nonceBytes);
            signature = new String[] {timestamp, nonce, signer.get().signature(method, uri.getRawPath(), timestamp, nonce, body)};
        }
        String[] signed = signature;
        return request.headers(headers -> {
            headers.put(HttpHeader.HOST, host);
            headers.put("x-correlator", correlator);
            if (bearer != null) {
                headers.put(HttpHeader.AUTHORIZATION, bearer);
            }
            if (signed != null) {
                headers.put("X-Timestamp", signed[0]).put("X-Nonce", signed[1]).put("X-Signature", signed[2]);
            }
        });
    }

    /**
     * Sends the request and bounds the platform's time: {@code timeout} from the moment the request begins on a
     * connection (its first byte is about to be written) to the answer's last byte. Time the request spent queued
     * on this machine before that is not the platform's and does not make a TIMEOUT that would count toward
     * opening its circuit, nor a sample of the platform's load.
     */
    private CompletableFuture<ExchangeOutcome> send(Request request, List<byte[]> ids, String correlator) {
        AtomicReference<Scheduler.Task> expiry = new AtomicReference<>();
        AtomicReference<AdaptiveConcurrency.Exchange> timed = new AtomicReference<>();
        request.onRequestBegin(begun -> {
            timed.set(concurrency.begun());
            expiry.set(http.getScheduler().schedule(
                    () -> begun.abort(new TimeoutException("no answer within " + timeout + " of sending")),
                    timeout.toNanos(), TimeUnit.NANOSECONDS));
        });
        return new CompletableResponseListener(request, MAX_RESPONSE_BYTES).send()
                .handle((response, failure) -> {
                    Scheduler.Task pending = expiry.get();
                    if (pending != null) {
                        pending.cancel();
                    }
                    ExchangeOutcome outcome = failure == null ? classify(response, ids, correlator) : failed(failure, correlator);
                    concurrency.ended(timed.get(), outcome);
                    return outcome;
                });
    }

    private static ExchangeOutcome classify(ContentResponse response, List<byte[]> ids, String correlator) {
        int status = response.getStatus();
        String reason = "HTTP_" + status;
        try {
            return switch (status) {
                case 200 -> ExchangeOutcome.answered(ResultMatcher.match(ids, response.getContent(), correlator), correlator);
                case 202 -> ExchangeOutcome.accepted(BindingCheckJson.readTicket(response.getContent()), correlator);
                case 401, 403 -> ExchangeOutcome.of(ExchangeOutcome.Kind.CREDENTIALS_REFUSED, reason, correlator);
                case 413 -> ExchangeOutcome.of(ExchangeOutcome.Kind.TOO_LARGE, reason, correlator);
                case 429 -> ExchangeOutcome.retryable(reason, retryAfter(response), correlator);
                case 500, 502, 503, 504 -> ExchangeOutcome.retryable(reason, null, correlator);
                default -> ExchangeOutcome.of(ExchangeOutcome.Kind.REFUSED, reason, correlator);
            };
        } catch (IllegalArgumentException e) {
            return ExchangeOutcome.retryable("BROKEN_RESPONSE", null, correlator);
        }
    }

    /** {@code Retry-After} in seconds; one second when absent or not a number (an HTTP-date is rare from APIs). */
    private static Duration retryAfter(ContentResponse response) {
        String retryAfter = response.getHeaders().get(HttpHeader.RETRY_AFTER);
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter == null ? "1" : retryAfter.strip())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    private static ExchangeOutcome failed(Throwable failure, String correlator) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        for (Throwable link = cause; link != null; link = link.getCause() == link ? null : link.getCause()) {
            if (link instanceof SSLException tls) {
                // the TLS stack's words (no name matching the host, no trusted path to a CA, a fatal alert): never a secret or an id
                return ExchangeOutcome.tlsHandshakeFailed(tls.getMessage() == null ? tls.getClass().getSimpleName() : tls.getMessage(),
                        correlator);
            }
        }
        // TimeoutException: the request's total timeout (or an idle connection); InterruptedIOException
        // (SocketTimeoutException): the 5 s connect timeout, which the JDK client also reported as a timeout
        boolean timedOut = cause instanceof TimeoutException || cause instanceof InterruptedIOException
                || cause instanceof CancellationException;
        return ExchangeOutcome.transportFailed(timedOut ? ExchangeOutcome.TIMEOUT : ExchangeOutcome.CONNECTION_FAILED,
                cause.getClass().getSimpleName(), correlator);
    }

    /** Maps the results of one response back onto the ids that were asked, in their order. */
    static final class ResultMatcher implements BindingCheckJson.ResultSink {

        private final byte[][] asked;
        private final String correlator;
        /** One for the whole response: NOT_BOUND is nearly every answer. */
        private final BindingAnswer notBound;
        private final BindingAnswer[] answers;
        private final boolean[] repeated;
        private Map<String, Integer> positions;
        private int expectedPosition;

        private ResultMatcher(List<byte[]> ids, String correlator) {
            this.asked = ids.toArray(byte[][]::new);
            this.correlator = correlator;
            this.notBound = BindingAnswer.notBound(correlator);
            this.answers = new BindingAnswer[ids.size()];
            this.repeated = new boolean[ids.size()];
        }

        /**
         * @param correlator the {@code x-correlator} of the request answered, carried by every answer
         * @throws IllegalArgumentException when the body is not a well-formed response
         */
        static List<BindingAnswer> match(List<byte[]> ids, byte[] body, String correlator) {
            return match(ids, sink -> BindingCheckJson.readResults(body, sink), correlator);
        }

        /** @param reader streams one body's entries into the sink it is given (tests pass Jackson's reader alone) */
        static List<BindingAnswer> match(List<byte[]> ids, Consumer<BindingCheckJson.ResultSink> reader, String correlator) {
            ResultMatcher matcher = new ResultMatcher(ids, correlator);
            reader.accept(matcher);
            return matcher.finish();
        }

        @Override
        public void accept(BindingCheckJson.ResultView result) {
            int position = positionOf(result);
            if (position < 0) {
                return;
            }
            if (answers[position] != null) {
                repeated[position] = true;
                return;
            }
            answers[position] = switch (result.status()) {
                case BOUND -> BindingAnswer.bound(result.accounts(), correlator);
                case NOT_BOUND -> notBound;
                case NO_ANSWER -> BindingAnswer.noAnswer(result.reason(), correlator);
            };
        }

        @Override
        public void startOver() {
            Arrays.fill(answers, null);
            Arrays.fill(repeated, false);
            expectedPosition = 0;
        }

        /** Servers usually answer in request order, so look there first and hash only when they do not. */
        private int positionOf(BindingCheckJson.ResultView result) {
            if (expectedPosition < asked.length && result.idEquals(asked[expectedPosition])) {
                return expectedPosition++;
            }
            if (positions == null) {
                positions = new HashMap<>(asked.length * 2);
                for (int i = 0; i < asked.length; i++) {
                    positions.put(new String(asked[i], StandardCharsets.US_ASCII), i);
                }
            }
            Integer position = positions.get(result.id());
            return position == null ? -1 : position;
        }

        private List<BindingAnswer> finish() {
            for (int i = 0; i < answers.length; i++) {
                if (repeated[i]) {
                    answers[i] = BindingAnswer.noAnswer("REPEATED_ID", correlator);
                } else if (answers[i] == null) {
                    answers[i] = BindingAnswer.noAnswer("MISSING_ID", correlator);
                }
            }
            return Arrays.asList(answers);
        }
    }
}
