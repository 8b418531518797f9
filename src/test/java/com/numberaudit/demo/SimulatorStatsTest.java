package com.numberaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.TestBinding;

/** {@code GET /stats}: per platform, requests, 429s sent and the first and last arrival. */
class SimulatorStatsTest {

    private static final String CHECK = "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[\"+8613832738807\"]}";

    private final HttpClient http = HttpClient.newHttpClient();
    private BindingCheckSimulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void countsRequestsThrottlingAndArrivalSpanPerPlatform() throws Exception {
        SimulatedFaults throttling = TestBinding.bind(SimulatedFaults.class, "error-status", "429", "fail-first", "2");
        simulator = BindingCheckSimulator.start(0, DemoBindings.empty(),
                id -> id.equals("qq") ? throttling : SimulatedFaults.NONE);
        assertThat(stats().isEmpty()).isTrue();

        assertThat(check("qq")).isEqualTo(429);
        assertThat(check("qq")).isEqualTo(429);
        assertThat(check("qq")).isEqualTo(200);
        assertThat(check("wechat")).isEqualTo(200);

        JsonNode stats = stats();
        assertThat(stats.propertyNames()).containsExactly("qq", "wechat");
        JsonNode qq = stats.get("qq");
        assertThat(qq.get("requests").asInt()).isEqualTo(3);
        assertThat(qq.get("throttled").asInt()).isEqualTo(2);
        assertThat(qq.get("lastArrivalNanos").asLong()).isGreaterThan(qq.get("firstArrivalNanos").asLong());
        assertThat(qq.get("firstArrivalNanos").asLong()).isEqualTo(simulator.arrivals("qq").get(0));
        assertThat(qq.get("lastArrivalNanos").asLong()).isEqualTo(simulator.arrivals("qq").get(2));
        JsonNode wechat = stats.get("wechat");
        assertThat(wechat.get("requests").asInt()).isEqualTo(1);
        assertThat(wechat.get("throttled").asInt()).isZero();
        assertThat(wechat.get("lastArrivalNanos").asLong()).isEqualTo(wechat.get("firstArrivalNanos").asLong());
    }

    private int check(String platformId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl(platformId) + "/binding-checks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHECK))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode stats() throws IOException, InterruptedException {
        URI base = simulator.baseUrl("any");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/stats")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonMapper.builder().build().readTree(response.body());
    }
}
