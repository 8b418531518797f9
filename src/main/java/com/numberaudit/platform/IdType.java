package com.numberaudit.platform;

/** How numbers are written in {@code ids}: plainly, or hashed with a key shared with the platform. */
public enum IdType {
    /** {@code +8613832738807} */
    E164("E164"),
    /** lower-case hex of HMAC-SHA256(id-key, "+86…"): the platform learns nothing about numbers it does not hold. */
    HMAC_SHA256("HMAC-SHA256");

    private final String wireName;

    IdType(String wireName) {
        this.wireName = wireName;
    }

    /** The value of {@code idType} on the wire. */
    public String wireName() {
        return wireName;
    }
}
