package com.numberaudit.platform;

/**
 * A credential from configuration (token, signing secret, id key). Its {@link #toString()}
 * never shows the value, so a secret cannot leak through a log line, a report or an exception.
 * A value with white space around it or a control character inside is refused: it is almost
 * always a paste or file-reading accident, and sent as it is it would fail every request.
 */
public record Secret(String value) {

    public Secret {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        if (!value.strip().equals(value) || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a secret must not start or end with white space or hold control characters");
        }
    }

    @Override
    public String toString() {
        return "******";
    }
}
