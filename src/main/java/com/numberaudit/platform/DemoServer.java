package com.numberaudit.platform;

import java.net.URI;

/**
 * A stand-in that answers for platforms in a demo run (the built-in simulator, package
 * {@code demo}). The registry asks it only when no enabled platform is real, so a demo server
 * never answers beside a platform that has a {@code url} or another adapter.
 */
@FunctionalInterface
public interface DemoServer {

    /** The base URL the platform's adapter is pointed at; may start the server. */
    URI baseUrl(String platformId);
}
