package com.numberaudit.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.numberaudit.platform.BindingCheckJson;

/**
 * How the simulator writes the JSON of a 200 answer. The contract makes white space, field order
 * and unknown fields free; independent servers use all of them, so the benchmark and the tests
 * need a simulator that does too. Same content in every layout.
 */
public enum AnswerLayout {

    /** {@code {"results":[{"id":"…","status":"BOUND","accounts":2}]}}: what Jackson writes by default. */
    COMPACT,
    /** {@code {"results": [{"id": "…", "status": "BOUND", "accounts": 2}]}}: a space after every ':' and ','. */
    SPACES,
    /** New lines and two-space indentation, one key per line (Jackson's and most libraries' pretty printer). */
    PRETTY,
    /** Each entry's keys in another order than the schema's: accounts, status, id. */
    REORDERED,
    /** Unknown fields beside the known ones, object and array valued, at the top level and in each entry. */
    UNKNOWN_FIELDS;

    /** The ids need no escape (E.164 numbers or hex, checked when asked), so this writes them as they are. */
    public byte[] write(List<BindingCheckJson.Result> results) {
        if (this == COMPACT) {
            return BindingCheckJson.results(results);
        }
        StringBuilder json = new StringBuilder(64 + results.size() * 96);
        json.append(switch (this) {
            case SPACES -> "{\"results\": [";
            case PRETTY -> "{\n  \"results\" : [";
            case UNKNOWN_FIELDS -> "{\"meta\":{\"server\":\"sim\",\"took\":[1,2.5,null]},\"results\":[";
            default -> "{\"results\":[";
        });
        for (int i = 0; i < results.size(); i++) {
            BindingCheckJson.Result result = results.get(i);
            boolean accounts = result.accounts() > 0;
            if (i > 0) {
                json.append(this == SPACES ? ", " : ",");
            }
            switch (this) {
                case SPACES -> json.append("{\"id\": \"").append(result.id()).append("\", \"status\": \"").append(result.status())
                        .append(accounts ? "\", \"accounts\": " + result.accounts() + "}" : "\"}");
                case PRETTY -> json.append(" {\n    \"id\" : \"").append(result.id()).append("\",\n    \"status\" : \"")
                        .append(result.status()).append(accounts ? "\",\n    \"accounts\" : " + result.accounts() + "\n  }" : "\"\n  }");
                case REORDERED -> json.append(accounts ? "{\"accounts\":" + result.accounts() + "," : "{").append("\"status\":\"")
                        .append(result.status()).append("\",\"id\":\"").append(result.id()).append("\"}");
                default -> json.append("{\"id\":\"").append(result.id()).append("\",\"checked\":{\"at\":\"2026-11-28T02:00:00Z\"},")
                        .append("\"status\":\"").append(result.status()).append("\",\"sources\":[\"a\",{\"b\":true}]")
                        .append(accounts ? ",\"accounts\":" + result.accounts() + "}" : "}");
            }
        }
        json.append(switch (this) {
            case PRETTY -> " ]\n}";
            case UNKNOWN_FIELDS -> "],\"next\":null}";
            default -> "]}";
        });
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
