package com.numberaudit.platform;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The JSON bodies of Binding Check API v1 (docs/binding-check-api.yaml), both directions, on
 * Jackson's streaming API: no tree, no object per field, so the hot path stays lean. Plain
 * answers, in whatever layout, are read by {@link PlainResults} first.
 */
public final class BindingCheckJson {

    private static final JsonFactory JSON = new JsonFactory();

    private BindingCheckJson() {
    }

    /** A parsed request, as the simulator receives it. */
    public record Request(LocalDate asOf, String idType, List<String> ids) {
    }

    /** One entry of {@code results}; {@code accounts} is 0 when absent. */
    public record Result(String id, String status, int accounts) {
    }

    /** Receives the entries of a response's {@code results} in order. */
    public interface ResultSink {

        /** @param result the entry; valid only during the call (it is reused for the next one) */
        void accept(ResultView result);

        /** The body is read again from its start: forget every entry received so far. */
        void startOver();
    }

    /**
     * One entry of {@code results} as it is read, without a {@code String} per id or status: the
     * id stays in a reused buffer (as ASCII bytes, the form the ids were sent in), and
     * {@link #idEquals} compares it with an id that was asked. Both readers leave what an entry
     * answers to this class, so they cannot differ on it.
     */
    public static final class ResultView {

        private static final int ID = 1;
        private static final int STATUS = 2;
        private static final int ACCOUNTS = 4;

        private byte[] id = new byte[64];
        private int idLength = -1;
        /** The id when it is not ASCII (then it equals no id the job sends). */
        private String otherId;
        /** BOUND or NOT_BOUND as written; NO_ANSWER when missing or anything else. */
        private BindingAnswer.Status written;
        private int accounts;
        /** The known keys read so far in this entry, one bit each. */
        private int keysRead;
        /** The other keys read so far in this entry; made only for an entry that has some. */
        private Set<String> otherKeysRead;
        private boolean keyGivenTwice;
        /** Why the entry answers nothing, or null when it answers. */
        private String reason;

        /** Whether the entry has an id at all. */
        public boolean hasId() {
            return idLength >= 0 || otherId != null;
        }

        /** @param ascii an id as sent: ASCII bytes */
        public boolean idEquals(byte[] ascii) {
            return otherId == null && Arrays.equals(id, 0, idLength, ascii, 0, ascii.length);
        }

        /** The id as a new string (for the rare entry that is not where it was expected). */
        public String id() {
            return otherId != null ? otherId : new String(id, 0, idLength, StandardCharsets.US_ASCII);
        }

        /** BOUND or NOT_BOUND as the platform wrote it; NO_ANSWER, with a {@link #reason}, when the entry answers nothing. */
        public BindingAnswer.Status status() {
            return reason == null ? written : BindingAnswer.Status.NO_ANSWER;
        }

        /** 0 when absent. */
        public int accounts() {
            return accounts;
        }

        /** DUPLICATE_KEY, UNKNOWN_STATUS or CONTRADICTORY_ANSWER when the entry answers nothing; null when it answers. */
        public String reason() {
            return reason;
        }

        /** An id {@link PlainResults} read: ASCII, its first in this entry. */
        void readPlainId(byte[] ascii, int offset, int length) {
            read(ID);
            makeRoom(length);
            System.arraycopy(ascii, offset, id, 0, length);
            idLength = length;
            otherId = null;
        }

        private void makeRoom(int length) {
            if (length > id.length) {
                id = new byte[Math.max(length, id.length * 2)];
            }
        }

        /** A status {@link PlainResults} read: a string, BOUND, NOT_BOUND or another (NO_ANSWER). */
        void readPlainStatus(BindingAnswer.Status status) {
            read(STATUS);
            written = status;
        }

        /** Accounts {@link PlainResults} read: a plain non-negative int. */
        void readPlainAccounts(int accounts) {
            read(ACCOUNTS);
            this.accounts = accounts;
        }

        /** The contract's rules for one entry, in order: a key given twice, then the status, then accounts beside NOT_BOUND. */
        void settle() {
            reason = keyGivenTwice ? "DUPLICATE_KEY"
                    : written == BindingAnswer.Status.NO_ANSWER ? "UNKNOWN_STATUS"
                    : written == BindingAnswer.Status.NOT_BOUND && accounts != 0 ? "CONTRADICTORY_ANSWER"
                    : null;
        }

        void clear() {
            idLength = -1;
            otherId = null;
            written = BindingAnswer.Status.NO_ANSWER;
            accounts = 0;
            keysRead = 0;
            otherKeysRead = null;
            keyGivenTwice = false;
        }

        private void read(int key) {
            keyGivenTwice |= (keysRead & key) != 0;
            keysRead |= key;
        }

        private void readOther(JsonParser json, String key) {
            if (otherKeysRead == null) {
                otherKeysRead = new HashSet<>(4);
            }
            keyGivenTwice |= !otherKeysRead.add(key);
            json.skipChildren();
        }

        private void readId(JsonParser json, JsonToken value) {
            if ((keysRead & ID) != 0) {
                // the entry answers for one of two ids and nothing says which: the body is unusable
                throw new IllegalArgumentException("an entry of results gives its id twice");
            }
            read(ID);
            expect(value, JsonToken.VALUE_STRING);
            char[] chars = json.getStringCharacters();
            int offset = json.getStringOffset();
            int length = json.getStringLength();
            makeRoom(length);
            for (int i = 0; i < length; i++) {
                char c = chars[offset + i];
                if (c > 0x7f) {
                    idLength = -1;
                    otherId = new String(chars, offset, length);
                    return;
                }
                id[i] = (byte) c;
            }
            idLength = length;
            otherId = null;
        }

        private void readStatus(JsonParser json, JsonToken value) {
            read(STATUS);
            if (value != JsonToken.VALUE_STRING) {
                json.skipChildren();
                written = BindingAnswer.Status.NO_ANSWER;
                return;
            }
            char[] chars = json.getStringCharacters();
            int offset = json.getStringOffset();
            int length = json.getStringLength();
            written = equal(BOUND, chars, offset, length) ? BindingAnswer.Status.BOUND
                    : equal(NOT_BOUND, chars, offset, length) ? BindingAnswer.Status.NOT_BOUND
                    : BindingAnswer.Status.NO_ANSWER;
        }

        private void readAccounts(JsonParser json, JsonToken value) {
            read(ACCOUNTS);
            expect(value, JsonToken.VALUE_NUMBER_INT);
            accounts = json.getIntValue();
        }

        private static boolean equal(char[] expected, char[] chars, int offset, int length) {
            return Arrays.equals(expected, 0, expected.length, chars, offset, offset + length);
        }
    }

    private static final char[] BOUND = "BOUND".toCharArray();
    private static final char[] NOT_BOUND = "NOT_BOUND".toCharArray();

    /**
     * @param ids E.164 numbers or hex hashes as ASCII bytes: written as they are, since neither
     *            has a character JSON escapes (checked)
     */
    public static byte[] request(LocalDate asOf, String idType, List<byte[]> ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + ids.size() * 20);
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            json.writeStartObject();
            json.writeName("asOf");
            json.writeString(asOf.toString());
            json.writeName("idType");
            json.writeString(idType);
            json.writeName("ids");
            json.writeStartArray();
            for (byte[] id : ids) {
                requirePlain(id);
                json.writeRawUTF8String(id, 0, id.length);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Printable ASCII other than the quote and the backslash: nothing to escape. */
    private static void requirePlain(byte[] id) {
        for (byte b : id) {
            if (b < 0x20 || b == '"' || b == '\\') {
                throw new IllegalArgumentException("an id must be printable ASCII without quotes or backslashes");
            }
        }
    }

    /** @throws IllegalArgumentException when the body is not a well-formed request */
    public static Request readRequest(InputStream body) {
        LocalDate asOf = null;
        String idType = null;
        List<String> ids = null;
        try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), body)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "asOf" -> asOf = LocalDate.parse(stringValue(json, value));
                    case "idType" -> idType = stringValue(json, value);
                    case "ids" -> ids = readIds(json, value);
                    default -> json.skipChildren();
                }
            }
        } catch (JacksonException | DateTimeException e) {
            throw new IllegalArgumentException("malformed request: " + e.getMessage(), e);
        }
        if (asOf == null || idType == null || ids == null || ids.isEmpty()) {
            throw new IllegalArgumentException("asOf, idType and a non-empty ids array are required");
        }
        return new Request(asOf, idType, ids);
    }

    public static byte[] results(List<Result> results) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + results.size() * 48);
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            json.writeStartObject();
            json.writeName("results");
            json.writeStartArray();
            for (Result result : results) {
                json.writeStartObject();
                json.writeName("id");
                json.writeString(result.id());
                json.writeName("status");
                json.writeString(result.status());
                if (result.accounts() > 0) {
                    json.writeName("accounts");
                    json.writeNumber(result.accounts());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    /**
     * Streams the {@code results} of a 200 response into {@code sink}: plain answers (any layout,
     * no escapes: every server we know) through {@link PlainResults}, anything else through Jackson.
     *
     * @throws IllegalArgumentException when the body is not a well-formed response; entries
     *                                  already passed to the sink must then be discarded
     */
    public static void readResults(byte[] body, ResultSink sink) {
        if (!PlainResults.read(body, new ResultView(), sink)) {
            sink.startOver();
            readAnyResults(body, sink);
        }
    }

    /**
     * Jackson's reading of a 200 response, in whatever layout the platform chose. A top-level key
     * given twice makes the body malformed, as Jackson alone would keep one of them.
     */
    static void readAnyResults(byte[] body, ResultSink sink) {
        ResultView result = new ResultView();
        boolean sawResults = false;
        Set<String> fields = new HashSet<>(4);
        try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), body)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = json.currentName();
                if (!fields.add(field)) {
                    throw new IllegalArgumentException("the response gives " + field + " twice");
                }
                JsonToken value = json.nextToken();
                if ("results".equals(field)) {
                    expect(value, JsonToken.START_ARRAY);
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        readResult(json, result);
                        if (result.hasId()) {
                            sink.accept(result);
                        }
                    }
                    expect(json.currentToken(), JsonToken.END_ARRAY);
                    sawResults = true;
                } else {
                    json.skipChildren();
                }
            }
            expect(json.currentToken(), JsonToken.END_OBJECT);
            if (json.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the response object");
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("malformed JSON body: " + e.getOriginalMessage(), e);
        }
        if (!sawResults) {
            throw new IllegalArgumentException("response has no results array");
        }
    }

    /** The {@code ticket} of a 202 response. */
    public static String readTicket(byte[] body) {
        String ticket = null;
        try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), body)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if ("ticket".equals(field)) {
                    ticket = stringValue(json, value);
                } else {
                    json.skipChildren();
                }
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("malformed JSON body: " + e.getOriginalMessage(), e);
        }
        if (ticket == null || !ticket.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new IllegalArgumentException("202 response without a usable ticket");
        }
        return ticket;
    }

    public static byte[] ticket(String ticket) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            json.writeStartObject();
            json.writeName("ticket");
            json.writeString(ticket);
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    public static byte[] error(int status, String code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            json.writeStartObject();
            json.writeName("status");
            json.writeNumber(status);
            json.writeName("code");
            json.writeString(code);
            json.writeName("message");
            json.writeString(message);
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void readResult(JsonParser json, ResultView result) {
        result.clear();
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "id" -> result.readId(json, value);
                case "status" -> result.readStatus(json, value);
                case "accounts" -> result.readAccounts(json, value);
                default -> result.readOther(json, field);
            }
        }
        expect(json.currentToken(), JsonToken.END_OBJECT);
        result.settle();
    }

    private static List<String> readIds(JsonParser json, JsonToken value) {
        expect(value, JsonToken.START_ARRAY);
        List<String> ids = new ArrayList<>();
        while (json.nextToken() == JsonToken.VALUE_STRING) {
            ids.add(json.getString());
        }
        expect(json.currentToken(), JsonToken.END_ARRAY);
        return ids;
    }

    private static String stringValue(JsonParser json, JsonToken value) {
        expect(value, JsonToken.VALUE_STRING);
        return json.getString();
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + expected + " but found " + actual);
        }
    }
}
