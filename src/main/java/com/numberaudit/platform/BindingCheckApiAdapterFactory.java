package com.numberaudit.platform;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

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

    /** 127.0.0.0/8 written as an IPv4 literal (each group is checked to be at most 255). */
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");

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
        URI url = platform.baseUrl();
        String scheme = url.getScheme();
        String shown = url.getRawUserInfo() == null ? url.toString() : url.toString().replace(url.getRawUserInfo() + "@", "******@");
        if (!("http".equals(scheme) || "https".equals(scheme)) || url.getHost() == null) {
            throw new AuditConfigurationException(key + ".url: '" + shown + "' is not an http:// or https:// URL with a host");
        }
        PlatformSettings settings = platform.settings();
        List<String> problems = new ArrayList<>();
        if (settings.timeout().isZero() || settings.timeout().isNegative()) {
            problems.add(key + ".timeout: must be positive");
        }
        if ("http".equals(scheme) && !settings.allowInsecureHttp() && !isLoopback(url.getHost())) {
            problems.add(key + ".url: '" + shown + "' is plain http to another machine, so ids and credentials would cross the "
                    + "network unencrypted: use https://, or set " + key + ".allow-insecure-http=true");
        }
        if (!problems.isEmpty()) {
            throw new AuditConfigurationException(problems);
        }
        return new BindingCheckApiAdapter(platform, new BindingCheckExchange(platform, http), scheduler);
    }

    /** localhost, 127.0.0.0/8 or ::1, as written in the url: a host name is never looked up to decide. */
    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (host.startsWith("[")) {
            try {
                // in brackets, an IPv6 literal: parsed, never resolved
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        Matcher ipv4 = IPV4_LOOPBACK.matcher(host);
        return ipv4.matches() && IntStream.rangeClosed(1, 3).allMatch(octet -> Integer.parseInt(ipv4.group(octet)) <= 255);
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
