package com.numberaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's platform that answers days later: a number its bindings say PENDING gets a 202
 * ticket, which a simulator started later (the next night's demo run) still knows from the ticket
 * folder, and answers once the bindings no longer say PENDING.
 */
class SimulatedTicketsTest {

    private static final String CHECK = "{\"asOf\":\"2026-11-28\",\"idType\":\"E164\",\"ids\":[\"+8613832738807\",\"+8613912345678\"]}";

    @TempDir
    Path tickets;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aTicketGivenOneNightIsAnsweredByTheNextNightsSimulatorOnceTheAnswerIsThere() throws Exception {
        String ticket;
        try (BindingCheckSimulator first = start("13832738807,didi,PENDING,\n")) {
            HttpResponse<String> accepted = send(first, HttpRequest.newBuilder(URI.create(first.baseUrl("didi") + "/binding-checks"))
                    .POST(HttpRequest.BodyPublishers.ofString(CHECK)));
            assertThat(accepted.statusCode()).isEqualTo(202);
            ticket = accepted.body().replaceAll(".*\"ticket\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        }

        try (BindingCheckSimulator stillWaiting = start("13832738807,didi,PENDING,\n")) {
            assertThat(poll(stillWaiting, ticket).statusCode()).as("still PENDING in its bindings").isEqualTo(202);
        }
        try (BindingCheckSimulator answering = start("13912345678,didi,BOUND,2\n")) {
            HttpResponse<String> answered = poll(answering, ticket);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.body()).contains("\"+8613832738807\"", "\"+8613912345678\"", "\"BOUND\"", "\"NOT_BOUND\"");
            assertThat(poll(answering, "4c0e8d7e-0000-4000-8000-000000000000").statusCode()).as("never given").isEqualTo(404);
            assertThat(poll(answering, "..%2F..%2Fetc").statusCode()).as("not a ticket: never read from disk").isEqualTo(404);
        }
    }

    private BindingCheckSimulator start(String bindings) throws Exception {
        DemoBindings read = DemoBindings.read(new ByteArrayInputStream(("number,platform,status,accounts\n" + bindings)
                .getBytes(StandardCharsets.UTF_8)), "test");
        return BindingCheckSimulator.start(0, read, id -> SimulatedFaults.NONE, tickets);
    }

    private HttpResponse<String> poll(BindingCheckSimulator simulator, String ticket) throws Exception {
        return send(simulator, HttpRequest.newBuilder(URI.create(simulator.baseUrl("didi") + "/binding-checks/" + ticket)).GET());
    }

    private HttpResponse<String> send(BindingCheckSimulator simulator, HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }
}
