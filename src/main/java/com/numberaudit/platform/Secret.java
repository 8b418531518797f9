package com.numberaudit.platform;

/**
 * A credential from configuration (token, signing secret, id key). Its {@link #toString()}
 * never shows the value, so a secret cannot leak through a log line, a report or an exception.
 */
public record Secret(String value) {

    public Secret {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
    }

    @Override
    public String toString() {
        return "******";
    }
}
