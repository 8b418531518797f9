package com.numberaudit.platform;

import java.nio.charset.StandardCharsets;

/**
 * Reads a 200 response in any layout the contract allows — white space anywhere JSON allows it,
 * keys in any order, unknown fields at the top level and in entries — as long as it is plain:
 * ASCII, no escape in any string or key, nesting and lengths below the limits here. That covers
 * the answers of every server we know, at a fraction of Jackson's cost per entry (measured, see
 * docs/performance.md "CPU per check for every layout": under the production JVM options Jackson's
 * streaming parser costs about three times as much per entry). Anything else (an escape, a byte
 * above 0x7F, a key given twice at the top level or an id given twice, a status that is not a
 * string, accounts that are not a plain int, any byte JSON does not allow where it stands) makes
 * it give up, and {@link BindingCheckJson#readAnyResults} reads the body again with Jackson, which
 * decides then. So it accepts only valid JSON, and reads it exactly as Jackson does; what an entry
 * answers (a key given twice, an unknown status, NOT_BOUND beside accounts) is decided by
 * {@link BindingCheckJson.ResultView} for both. Checked on seeded mutations of every layout
 * (PlainResultsTest).
 */
final class PlainResults {

    private static final byte[] RESULTS = ascii("results");
    /** The known keys and statuses with their closing quote, so that a longer one does not match. */
    private static final byte[] ID_KEY = ascii("id\"");
    private static final byte[] STATUS_KEY = ascii("status\"");
    private static final byte[] ACCOUNTS_KEY = ascii("accounts\"");
    private static final byte[] BOUND = ascii("BOUND\"");
    private static final byte[] NOT_BOUND = ascii("NOT_BOUND\"");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] NULL = ascii("null");
    /** Ids are E.164 numbers or lower-case hex: a handful of characters. */
    private static final int MAX_ID_LENGTH = 128;
    /** Longer keys, strings, numbers or deeper nesting in unknown fields are left to Jackson (and its limits). */
    private static final int MAX_KEY_LENGTH = 256;
    private static final int MAX_STRING_LENGTH = 4_096;
    private static final int MAX_NUMBER_LENGTH = 64;
    private static final int MAX_DEPTH = 32;
    /** Up to 999,999,999 accounts: always an int. */
    private static final int MAX_ACCOUNT_DIGITS = 9;
    /** Keys the top level, and unknown keys an entry, may have (each compared with the others). */
    private static final int MAX_KEYS = 8;
    /** The bytes a plain string may hold: printable ASCII other than the quote and the backslash (indexed by byte & 0xff). */
    private static final boolean[] PLAIN = plain();
    /** JSON's white space: space, tab, line feed, carriage return (indexed by byte & 0xff). */
    private static final boolean[] SPACE = space();
    /** The bytes an id may hold here (a table: this runs for every byte of every id). */
    private static final boolean[] ID_BYTES = idBytes();

    /** Where reading stopped: a position in the body, or GIVE_UP. */
    private static final int GIVE_UP = -1;

    private final byte[] body;
    private final BindingCheckJson.ResultView result;
    private final Keys topKeys = new Keys();
    private final Keys otherKeys = new Keys();

    /** The keys of one object, as [start, end) in the body. */
    private static final class Keys {
        final int[] bounds = new int[MAX_KEYS * 2];
        int count;
    }

    private PlainResults(byte[] body, BindingCheckJson.ResultView result) {
        this.body = body;
        this.result = result;
    }

    /**
     * Passes every entry that has an id to {@code sink}, in order, if the whole body is plain valid JSON with one
     * {@code results} array of objects.
     *
     * @return false when it is not; entries already passed to the sink must then be discarded
     */
    static boolean read(byte[] body, BindingCheckJson.ResultView result, BindingCheckJson.ResultSink sink) {
        return new PlainResults(body, result).read(sink);
    }

    private boolean read(BindingCheckJson.ResultSink sink) {
        int at = space(0);
        if (at >= body.length || body[at] != '{') {
            return false;
        }
        at = space(at + 1);
        boolean sawResults = false;
        if (at < body.length && body[at] == '}') {
            return false;  // no results: Jackson says why
        }
        while (true) {
            int keyStart = at + 1;
            at = key(at);
            if (at == GIVE_UP) {
                return false;
            }
            int keyEnd = at - 1;
            if (!firstTime(topKeys, keyStart, keyEnd)) {
                return false;
            }
            at = colon(at);
            if (at == GIVE_UP) {
                return false;
            }
            if (is(RESULTS, keyStart, keyEnd)) {
                at = results(at, sink);
                sawResults = true;
            } else {
                at = skipValue(at, 0);
            }
            if (at == GIVE_UP) {
                return false;
            }
            at = space(at);
            if (at >= body.length) {
                return false;
            }
            if (body[at] == ',') {
                at = space(at + 1);
                continue;
            }
            if (body[at] != '}') {
                return false;
            }
            return sawResults && space(at + 1) == body.length;
        }
    }

    /** The entries of {@code results}, from its '['; @return the position after its ']' */
    private int results(int at, BindingCheckJson.ResultSink sink) {
        byte[] b = body;
        if (at >= b.length || b[at] != '[') {
            return GIVE_UP;
        }
        at = skipSpace(b, at + 1);
        if (at < b.length && b[at] == ']') {
            return at + 1;
        }
        while (true) {
            at = entry(b, at);
            if (at == GIVE_UP) {
                return GIVE_UP;
            }
            if (result.hasId()) {
                sink.accept(result);
            }
            at = skipSpace(b, at);
            if (at >= b.length) {
                return GIVE_UP;
            }
            if (b[at] == ']') {
                return at + 1;
            }
            if (b[at] != ',') {
                return GIVE_UP;
            }
            at = skipSpace(b, at + 1);
        }
    }

    /**
     * One entry, from its '{'; @return the position after its '}'. The hot path: it runs for every entry, under the
     * production JVM options (C1 only), so the known keys and statuses are matched in place, closing quote included.
     */
    private int entry(byte[] b, int at) {
        if (at >= b.length || b[at] != '{') {
            return GIVE_UP;
        }
        result.clear();
        otherKeys.count = 0;
        at = skipSpace(b, at + 1);
        if (at < b.length && b[at] == '}') {
            result.settle();
            return at + 1;
        }
        while (true) {
            if (at >= b.length || b[at] != '"') {
                return GIVE_UP;
            }
            int keyStart = at + 1;
            byte first = keyStart < b.length ? b[keyStart] : 0;
            if (first == 'i' && startsWith(b, keyStart, ID_KEY)) {
                at = id(b, valueAfter(b, keyStart + ID_KEY.length));
            } else if (first == 's' && startsWith(b, keyStart, STATUS_KEY)) {
                at = status(b, valueAfter(b, keyStart + STATUS_KEY.length));
            } else if (first == 'a' && startsWith(b, keyStart, ACCOUNTS_KEY)) {
                at = accounts(b, valueAfter(b, keyStart + ACCOUNTS_KEY.length));
            } else {
                at = key(at);
                at = at != GIVE_UP && firstTime(otherKeys, keyStart, at - 1) ? skipValue(colon(at), 1) : GIVE_UP;
            }
            if (at == GIVE_UP) {
                return GIVE_UP;
            }
            at = skipSpace(b, at);
            if (at >= b.length) {
                return GIVE_UP;
            }
            if (b[at] == '}') {
                result.settle();
                return at + 1;
            }
            if (b[at] != ',') {
                return GIVE_UP;
            }
            at = skipSpace(b, at + 1);
        }
    }

    private int id(byte[] b, int at) {
        if (at == GIVE_UP || result.hasId() || at >= b.length || b[at] != '"') {
            return GIVE_UP;  // an id given twice makes the body unusable: Jackson says so
        }
        int start = ++at;
        while (at < b.length && at - start <= MAX_ID_LENGTH && b[at] >= 0 && ID_BYTES[b[at]]) {
            at++;
        }
        if (at >= b.length || b[at] != '"' || at == start || at - start > MAX_ID_LENGTH) {
            return GIVE_UP;
        }
        result.readPlainId(b, start, at - start);
        return at + 1;
    }

    private int status(byte[] b, int at) {
        if (at == GIVE_UP || at >= b.length || b[at] != '"') {
            return GIVE_UP;
        }
        if (startsWith(b, at + 1, NOT_BOUND)) {
            result.readPlainStatus(BindingAnswer.Status.NOT_BOUND);
            return at + 1 + NOT_BOUND.length;
        }
        if (startsWith(b, at + 1, BOUND)) {
            result.readPlainStatus(BindingAnswer.Status.BOUND);
            return at + 1 + BOUND.length;
        }
        at = string(at);
        if (at != GIVE_UP) {
            result.readPlainStatus(BindingAnswer.Status.NO_ANSWER);
        }
        return at;
    }

    private int accounts(byte[] b, int at) {
        if (at == GIVE_UP) {
            return GIVE_UP;
        }
        int start = at;
        int accounts = 0;
        while (at < b.length && at - start < MAX_ACCOUNT_DIGITS && b[at] >= '0' && b[at] <= '9') {
            accounts = accounts * 10 + (b[at] - '0');
            at++;
        }
        boolean leadingZero = at - start > 1 && b[start] == '0';
        // then white space, ',' or '}' (the caller checks); a tenth digit, a fraction or an exponent is left to Jackson
        boolean more = at < b.length && (b[at] >= '0' && b[at] <= '9' || b[at] == '.' || b[at] == 'e' || b[at] == 'E');
        if (at == start || leadingZero || more) {
            return GIVE_UP;
        }
        result.readPlainAccounts(accounts);
        return at;
    }

    /** The ':' after a key, with white space around it; @return the position of the value, or GIVE_UP */
    private static int valueAfter(byte[] b, int at) {
        at = skipSpace(b, at);
        return at < b.length && b[at] == ':' ? skipSpace(b, at + 1) : GIVE_UP;
    }

    /** @param at a position in the body, not GIVE_UP; @return the first position from it that is not JSON white space */
    private static int skipSpace(byte[] b, int at) {
        while (at < b.length && SPACE[b[at] & 0xff]) {
            at++;
        }
        return at;
    }

    /** Whether {@code b} has {@code expected} at {@code at}. */
    private static boolean startsWith(byte[] b, int at, byte[] expected) {
        if (b.length - at < expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (b[at + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Remembers a key of the top level (known or not) or an unknown key of an entry; false when it was given
     * before in the same object (left to Jackson, which says what that makes of it) or there are too many.
     */
    private boolean firstTime(Keys keys, int start, int end) {
        for (int i = 0; i < keys.count; i++) {
            if (same(body, start, end, keys.bounds[2 * i], keys.bounds[2 * i + 1])) {
                return false;
            }
        }
        if (keys.count == MAX_KEYS) {
            return false;
        }
        keys.bounds[2 * keys.count] = start;
        keys.bounds[2 * keys.count + 1] = end;
        keys.count++;
        return true;
    }

    /** A key from its '"' (no escape, up to MAX_KEY_LENGTH); @return the position after its closing '"' */
    private int key(int at) {
        return at == GIVE_UP || at >= body.length || body[at] != '"' ? GIVE_UP : plainText(at, MAX_KEY_LENGTH);
    }

    /** The ':' after a key, with white space around it; @return the position of the value */
    private int colon(int at) {
        return at == GIVE_UP ? GIVE_UP : valueAfter(body, at);
    }

    /** A plain string from its '"'; @return the position after its closing '"' */
    private int string(int at) {
        return plainText(at, MAX_STRING_LENGTH);
    }

    /**
     * The characters of a key or string from its '"': printable ASCII without quote or backslash, at most {@code longest};
     * @return the position after its closing '"'
     */
    private int plainText(int at, int longest) {
        byte[] b = body;
        int start = at + 1;
        // one bound for the loop (the body's end or one past the longest text) and one table look-up per byte: C1
        // compiles no more than what is written here (bench/AnswerReading.java: the unknown-fields layout's reading
        // 2.92 → 2.72 times compact's, docs/performance.md)
        int limit = Math.min(b.length, start + longest + 1);
        at = start;
        while (at < limit && PLAIN[b[at] & 0xff]) {
            at++;
        }
        return at < b.length && b[at] == '"' && at - start <= longest ? at + 1 : GIVE_UP;
    }

    /**
     * Any JSON value of an unknown field, checked as strictly as Jackson checks it (keys given twice in it do not
     * matter: Jackson skips it whole); @return the position after it
     */
    private int skipValue(int at, int depth) {
        if (at == GIVE_UP || at >= body.length || depth > MAX_DEPTH) {
            return GIVE_UP;
        }
        byte first = body[at];
        if (first == '"') {
            return string(at);
        }
        if (first == '{' || first == '[') {
            byte close = (byte) (first == '{' ? '}' : ']');
            at = space(at + 1);
            if (at < body.length && body[at] == close) {
                return at + 1;
            }
            while (true) {
                if (first == '{') {
                    at = colon(key(at));
                }
                at = space(skipValue(at, depth + 1));
                if (at == GIVE_UP || at >= body.length) {
                    return GIVE_UP;
                }
                if (body[at] == close) {
                    return at + 1;
                }
                if (body[at] != ',') {
                    return GIVE_UP;
                }
                at = space(at + 1);
            }
        }
        if (first == 't') {
            return literal(at, TRUE);
        }
        if (first == 'f') {
            return literal(at, FALSE);
        }
        if (first == 'n') {
            return literal(at, NULL);
        }
        return number(at);
    }

    /** A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, then no further number byte. */
    private int number(int at) {
        int start = at;
        if (at < body.length && body[at] == '-') {
            at++;
        }
        int digits = digits(at);
        if (digits == at || digits - at > 1 && body[at] == '0') {
            return GIVE_UP;
        }
        at = digits;
        if (at < body.length && body[at] == '.') {
            digits = digits(at + 1);
            if (digits == at + 1) {
                return GIVE_UP;
            }
            at = digits;
        }
        if (at < body.length && (body[at] == 'e' || body[at] == 'E')) {
            at++;
            if (at < body.length && (body[at] == '+' || body[at] == '-')) {
                at++;
            }
            digits = digits(at);
            if (digits == at) {
                return GIVE_UP;
            }
            at = digits;
        }
        boolean more = at < body.length && (body[at] == '.' || body[at] == 'e' || body[at] == 'E' || body[at] == '-' || body[at] == '+');
        return at - start > MAX_NUMBER_LENGTH || more ? GIVE_UP : at;
    }

    private int digits(int at) {
        while (at < body.length && body[at] >= '0' && body[at] <= '9') {
            at++;
        }
        return at;
    }

    /** true, false or null, then a byte that cannot continue it (the caller checks it is a separator) */
    private int literal(int at, byte[] word) {
        return startsWith(body, at, word) ? at + word.length : GIVE_UP;
    }

    /** @return the first position from {@code at} that is not JSON white space (GIVE_UP stays GIVE_UP) */
    private int space(int at) {
        if (at < 0) {
            return GIVE_UP;
        }
        return skipSpace(body, at);
    }

    /** Whether [start, end) and [otherStart, otherEnd) of {@code b} hold the same bytes (a loop: C1 has no intrinsic for Arrays.equals on ranges). */
    private static boolean same(byte[] b, int start, int end, int otherStart, int otherEnd) {
        if (end - start != otherEnd - otherStart) {
            return false;
        }
        for (int i = 0; i < end - start; i++) {
            if (b[start + i] != b[otherStart + i]) {
                return false;
            }
        }
        return true;
    }

    private boolean is(byte[] expected, int start, int end) {
        return end - start == expected.length && startsWith(body, start, expected);
    }

    private static boolean[] space() {
        boolean[] space = new boolean[256];
        space[' '] = true;
        space['\t'] = true;
        space['\n'] = true;
        space['\r'] = true;
        return space;
    }

    private static boolean[] plain() {
        boolean[] plain = new boolean[256];
        for (int c = 0x20; c < 0x7f; c++) {
            plain[c] = c != '"' && c != '\\';
        }
        return plain;
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
