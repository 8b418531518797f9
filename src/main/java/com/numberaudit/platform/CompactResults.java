package com.numberaudit.platform;

import java.nio.charset.StandardCharsets;

/**
 * Reads a 200 response that is written the way the contract's example and most serializers
 * write it, compact and in schema order:
 * {@code {"results":[{"id":"+8613832738807","status":"NOT_BOUND"},{"id":"…","status":"BOUND","accounts":2}]}}.
 * That covers nearly every response, at a fraction of a general parser's cost per entry. Any
 * other byte (white space, other fields or order, a key given twice, escapes, an unknown status)
 * makes it give up, and {@link BindingCheckJson} reads the body again with Jackson, which decides
 * then. What an entry it reads answers (none, for NOT_BOUND beside accounts) is decided by
 * {@link BindingCheckJson.ResultView}, as for Jackson.
 */
final class CompactResults {

    private static final byte[] START = ascii("{\"results\":[");
    private static final byte[] END = ascii("]}");
    private static final byte[] ID = ascii("{\"id\":\"");
    private static final byte[] STATUS = ascii(",\"status\":\"");
    private static final byte[] BOUND = ascii("BOUND\"");
    private static final byte[] NOT_BOUND = ascii("NOT_BOUND\"");
    private static final byte[] ACCOUNTS = ascii(",\"accounts\":");
    /** Ids are E.164 numbers or lower-case hex: a handful of characters, none needing an escape. */
    private static final int MAX_ID_LENGTH = 128;
    /** The ASCII characters an id may have here (a table: this runs for every byte of every id). */
    private static final boolean[] ID_BYTES = idBytes();
    /** Up to 999,999,999 accounts: always an int. */
    private static final int MAX_ACCOUNT_DIGITS = 9;

    private CompactResults() {
    }

    /**
     * Passes every entry to {@code sink}, in order, if the whole body is in the compact form.
     *
     * @return false when it is not; entries already passed to the sink must then be discarded
     */
    static boolean read(byte[] body, BindingCheckJson.ResultView result, BindingCheckJson.ResultSink sink) {
        int at = skip(body, 0, START);
        if (at < 0) {
            return false;
        }
        if (at < body.length && body[at] == ']') {
            return skip(body, at, END) == body.length;
        }
        while (true) {
            at = skip(body, at, ID);
            if (at < 0) {
                return false;
            }
            int idStart = at;
            while (at < body.length && at - idStart <= MAX_ID_LENGTH && body[at] >= 0 && ID_BYTES[body[at]]) {
                at++;
            }
            if (at >= body.length || body[at] != '"' || at == idStart || at - idStart > MAX_ID_LENGTH) {
                return false;
            }
            result.setId(body, idStart, at - idStart);
            at = skip(body, at + 1, STATUS);
            if (at < 0) {
                return false;
            }
            BindingAnswer.Status status = BindingAnswer.Status.NOT_BOUND;
            int afterStatus = skip(body, at, NOT_BOUND);
            if (afterStatus < 0) {
                status = BindingAnswer.Status.BOUND;
                afterStatus = skip(body, at, BOUND);
            }
            if (afterStatus < 0) {
                return false;
            }
            at = afterStatus;
            int accounts = 0;
            int afterAccounts = skip(body, at, ACCOUNTS);
            if (afterAccounts > 0) {
                at = afterAccounts;
                int digitsStart = at;
                while (at < body.length && at - digitsStart < MAX_ACCOUNT_DIGITS && body[at] >= '0' && body[at] <= '9') {
                    accounts = accounts * 10 + (body[at] - '0');
                    at++;
                }
                boolean leadingZero = at - digitsStart > 1 && body[digitsStart] == '0';
                boolean tooLong = at < body.length && body[at] >= '0' && body[at] <= '9';
                if (at == digitsStart || leadingZero || tooLong) {
                    return false;
                }
            }
            result.setStatus(status, accounts);
            if (at >= body.length || body[at] != '}') {
                return false;
            }
            sink.accept(result);
            at++;
            if (at < body.length && body[at] == ',') {
                at++;
                continue;
            }
            return skip(body, at, END) == body.length;
        }
    }

    /** @return the position after {@code expected} if {@code body} has it at {@code at}, else -1 */
    private static int skip(byte[] body, int at, byte[] expected) {
        if (at < 0 || body.length - at < expected.length) {
            return -1;
        }
        for (int i = 0; i < expected.length; i++) {
            if (body[at + i] != expected[i]) {
                return -1;
            }
        }
        return at + expected.length;
    }

    private static boolean[] idBytes() {
        boolean[] id = new boolean[128];
        for (char c : "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+-_.".toCharArray()) {
            id[c] = true;
        }
        return id;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
