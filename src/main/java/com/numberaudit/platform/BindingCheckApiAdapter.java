package com.numberaudit.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.numberaudit.number.MobileNumber;

/**
 * Speaks Binding Check API v1 ({@code POST {url}/binding-checks}, E.164 ids) over the JDK's
 * non-blocking HTTP client. Every id the response does not answer properly (missing, repeated,
 * unknown status, HTTP error, time-out, unparsable body) gets NO_ANSWER.
 */
public final class BindingCheckApiAdapter implements BindingCheckAdapter {

    public static final String NAME = "binding-check-api";
    private static final Logger log = LoggerFactory.getLogger(BindingCheckApiAdapter.class);

    private final String platformId;
    private final HttpClient http;
    private final URI endpoint;
    private final Duration timeout;

    public BindingCheckApiAdapter(Platform platform, HttpClient http) {
        this.platformId = platform.id();
        this.http = http;
        this.endpoint = endpoint(platform.baseUrl());
        this.timeout = platform.settings().timeout();
    }

    static URI endpoint(URI baseUrl) {
        String base = baseUrl.toString();
        return URI.create(base.endsWith("/") ? base + "binding-checks" : base + "/binding-checks");
    }

    @Override
    public CompletableFuture<List<BindingAnswer>> check(LocalDate asOf, List<MobileNumber> numbers) {
        List<String> ids = new ArrayList<>(numbers.size());
        for (MobileNumber number : numbers) {
            ids.add(number.e164());
        }
        String correlator = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("x-correlator", correlator)
                .POST(HttpRequest.BodyPublishers.ofByteArray(BindingCheckJson.request(asOf, "E164", ids)))
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        // HttpRequest.timeout covers only the wait for headers; this also cuts off a body that never ends.
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> exchange.cancel(true));
        return exchange.handle((response, failure) -> failure == null
                ? answers(ids, response, correlator)
                : noAnswerForAll(ids.size(), failureReason(failure), correlator));
    }

    private List<BindingAnswer> answers(List<String> ids, HttpResponse<byte[]> response, String correlator) {
        if (response.statusCode() != 200) {
            return noAnswerForAll(ids.size(), "HTTP_" + response.statusCode(), correlator);
        }
        try {
            return ResultMatcher.match(ids, response.body());
        } catch (IllegalArgumentException e) {
            return noAnswerForAll(ids.size(), "BROKEN_RESPONSE", correlator);
        }
    }

    private List<BindingAnswer> noAnswerForAll(int count, String reason, String correlator) {
        log.warn("{}: no answer for a batch of {} ids: {} (x-correlator {})", platformId, count, reason, correlator);
        BindingAnswer[] answers = new BindingAnswer[count];
        Arrays.fill(answers, BindingAnswer.noAnswer(reason));
        return Arrays.asList(answers);
    }

    private static String failureReason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException || cause instanceof CancellationException) {
            return "TIMEOUT";
        }
        return "CONNECTION_FAILED";
    }

    /** Maps the results of one response back onto the ids that were asked, in their order. */
    static final class ResultMatcher implements BindingCheckJson.ResultSink {

        private final List<String> ids;
        private final BindingAnswer[] answers;
        private final boolean[] repeated;
        private Map<String, Integer> positions;
        private int expectedPosition;

        private ResultMatcher(List<String> ids) {
            this.ids = ids;
            this.answers = new BindingAnswer[ids.size()];
            this.repeated = new boolean[ids.size()];
        }

        static List<BindingAnswer> match(List<String> ids, byte[] body) {
            ResultMatcher matcher = new ResultMatcher(ids);
            BindingCheckJson.readResults(body, matcher);
            return matcher.finish();
        }

        @Override
        public void accept(String id, String status, int accounts) {
            int position = positionOf(id);
            if (position < 0) {
                return;
            }
            if (answers[position] != null) {
                repeated[position] = true;
                return;
            }
            answers[position] = switch (status == null ? "" : status) {
                case "BOUND" -> BindingAnswer.bound(accounts);
                case "NOT_BOUND" -> BindingAnswer.NOT_BOUND;
                default -> BindingAnswer.noAnswer("UNKNOWN_STATUS");
            };
        }

        /** Servers usually answer in request order, so look there first and hash only when they do not. */
        private int positionOf(String id) {
            if (expectedPosition < ids.size() && ids.get(expectedPosition).equals(id)) {
                return expectedPosition++;
            }
            if (positions == null) {
                positions = new HashMap<>(ids.size() * 2);
                for (int i = 0; i < ids.size(); i++) {
                    positions.put(ids.get(i), i);
                }
            }
            Integer position = positions.get(id);
            return position == null ? -1 : position;
        }

        private List<BindingAnswer> finish() {
            for (int i = 0; i < answers.length; i++) {
                if (repeated[i]) {
                    answers[i] = BindingAnswer.noAnswer("REPEATED_ID");
                } else if (answers[i] == null) {
                    answers[i] = BindingAnswer.noAnswer("MISSING_ID");
                }
            }
            return Arrays.asList(answers);
        }
    }
}
