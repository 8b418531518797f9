package com.numberaudit.platform;

import java.net.URI;

/**
 * An enabled platform as this run sees it: its id, its settings and the base URL it is asked
 * at (its own {@code url}, or the simulator's).
 */
public record Platform(String id, PlatformSettings settings, URI baseUrl) {

    public String displayName() {
        return settings.displayName(id);
    }

    /** The url it is asked at as a message may show it (user info and query masked); null for one that has none. */
    public String shownUrl() {
        return baseUrl == null ? null : BindingCheckApiAdapterFactory.shown(baseUrl);
    }
}
