package com.numberaudit.platform;

import java.nio.charset.StandardCharsets;

import com.numberaudit.number.MobileNumber;

/**
 * The ids a platform knows numbers by, in its {@code id-type}: the E.164 form, or the hashed id
 * (lower-case hex of HMAC-SHA256(id-key, "+86…")). One computation for the requests, the snapshot
 * exports and the notices sent to the platform, so all three name a number alike. Not thread-safe.
 */
public final class PlatformIds {

    private final IdType idType;
    private final Hmac hasher;

    private PlatformIds(IdType idType, Hmac hasher) {
        this.idType = idType;
        this.hasher = hasher;
    }

    public static PlatformIds of(PlatformSettings settings) {
        return new PlatformIds(settings.idType(), settings.idType() == IdType.HMAC_SHA256 ? new Hmac(settings.idKey()) : null);
    }

    public IdType idType() {
        return idType;
    }

    /** The platform's id of {@code number}, e.g. {@code +8613832738807}. */
    public String of(MobileNumber number) {
        return hasher == null ? number.e164() : hasher.hashedId(number.e164());
    }

    /** {@link #of} as the ASCII bytes of a request; the E.164 form's are the number's own, shared: not to be changed. */
    byte[] ascii(MobileNumber number) {
        return hasher == null ? number.e164Ascii() : hasher.hashedId(number.e164()).getBytes(StandardCharsets.US_ASCII);
    }
}
