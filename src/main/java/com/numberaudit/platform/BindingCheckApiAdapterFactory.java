package com.numberaudit.platform;

import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.springframework.stereotype.Component;

import com.numberaudit.AuditConfigurationException;

/**
 * Makes {@link BindingCheckApiAdapter}s. All platforms share one Jetty HTTP client (and its connection
 * pool) and one small scheduler for back-off, pacing and polling: no thread waits on a request.
 */
@Component
public class BindingCheckApiAdapterFactory implements BindingCheckAdapterFactory, AutoCloseable {

    /**
     * Threads for the HTTP client's selector and its callbacks, which never block (they parse an
     * answer and hand it on): a few per core. Jetty's default of 200 only added thread hand-offs
     * (docs/performance.md).
     */
    private static final int HTTP_THREADS = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());

    /** Platforms may share a host and port (one Jetty destination): room for many at max-concurrency 256. */
    private static final int MAX_CONNECTIONS_PER_DESTINATION = 16 * 256;

    private final HttpClient http = newHttpClient();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, runnable -> {
        Thread thread = new Thread(runnable, "platform-scheduler");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * HTTP/1.1 with keep-alive, 5 s to connect, no connection or queue limit below what the platforms'
     * max-concurrency can ask for. Like the JDK client it replaces: no redirects, no cookies, no
     * authentication or compression negotiation. Daemon threads, so a CLI run ends with its main thread.
     */
    private static HttpClient newHttpClient() {
        QueuedThreadPool threads = new QueuedThreadPool(HTTP_THREADS, 2);
        threads.setName("platform-http");
        threads.setDaemon(true);
        HttpClient client = new HttpClient();
        client.setName("platform-http");
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler("platform-http-scheduler", true));
        client.setConnectTimeout(5_000);
        client.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_DESTINATION);
        client.setMaxRequestsQueuedPerDestination(Integer.MAX_VALUE);
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
        // start() installs the defaults (100-continue, redirect, authentication and upgrade handlers; gzip):
        // a 401 or 3xx must reach classify() as it is, and bodies arrive as the platform sent them
        client.getProtocolHandlers().clear();
        client.getContentDecoderFactories().clear();
        return client;
    }

    @Override
    public String name() {
        return BindingCheckApiAdapter.NAME;
    }

    @Override
    public BindingCheckAdapter create(Platform platform) {
        String key = "audit.platforms." + platform.id();
        String scheme = platform.baseUrl().getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || platform.baseUrl().getHost() == null) {
            String shown = platform.baseUrl().getRawUserInfo() == null ? platform.baseUrl().toString()
                    : platform.baseUrl().toString().replace(platform.baseUrl().getRawUserInfo() + "@", "******@");
            throw new AuditConfigurationException(key + ".url: '" + shown + "' is not an http:// or https:// URL with a host");
        }
        PlatformSettings settings = platform.settings();
        if (settings.timeout().isZero() || settings.timeout().isNegative()) {
            throw new AuditConfigurationException(key + ".timeout: must be positive");
        }
        return new BindingCheckApiAdapter(platform, new BindingCheckExchange(platform, http), scheduler);
    }

    @Override
    public void close() {
        // the client first: the requests it aborts may still schedule retries, which shutdownNow then drops quietly
        try {
            http.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the HTTP client", e);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
