package com.numberaudit.platform;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.stereotype.Component;

import com.numberaudit.AuditConfigurationException;
import com.numberaudit.AuditProperties;

/**
 * Makes {@link BindingCheckApiAdapter}s. The platforms share one Jetty HTTP client (and its connection
 * pool), which trusts the JVM's default trust store, and one small scheduler for back-off, pacing and
 * polling: no thread waits on a request. When several workers ask the platforms ({@link RateLimitScope}), each
 * platform's rate limit is shared by them all through the job repository ({@link RateSlots}). A platform with an {@code ssl-bundle} is asked through a client
 * of that bundle's, shared by every platform naming it: Jetty takes its TLS settings per client (the
 * {@link SslContextFactory.Client} of its connector), and its per-destination hooks (a request tag's
 * connection-factory decorator) wrap a connection already set up with the client's TLS.
 * Host names are verified on every client.
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

    private final SslBundles sslBundles;
    /** Null on one node: see {@link RateLimitScope}. */
    private final RateSlots sharedSlots;
    private final RequestMeters requestMeters;
    private final HttpClient http = newHttpClient("platform-http", new SslContextFactory.Client());
    /** By bundle name; made at start-up, while the registry is built. */
    private final Map<String, HttpClient> httpBySslBundle = new LinkedHashMap<>();
    /** Lines about lowered concurrency limits, shared by every platform ({@link AdaptiveConcurrency}). */
    private final RateLimiter concurrencyLines = AdaptiveConcurrency.logLines();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, runnable -> {
        Thread thread = new Thread(runnable, "platform-scheduler");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param sslBundles    Spring Boot's {@code spring.ssl.bundle.*}
     * @param requestMeters where each platform's requests are counted and timed
     * @param properties    whether the rate limits are shared by several workers ({@link RateLimitScope})
     * @param jobRepository the job repository's data source: the shared rate limits' slots live there (only then)
     */
    @Autowired
    public BindingCheckApiAdapterFactory(SslBundles sslBundles, RequestMeters requestMeters, AuditProperties properties,
                                         ObjectProvider<DataSource> jobRepository) {
        this(sslBundles, requestMeters, RateLimitScope.of(properties).shared() ? sharedSlots(jobRepository.getIfAvailable()) : null);
    }

    /** One node: each platform paced by this process alone ({@link RequestPacer}). */
    public BindingCheckApiAdapterFactory(SslBundles sslBundles, RequestMeters requestMeters) {
        this(sslBundles, requestMeters, (RateSlots) null);
    }

    /** Counts the requests in meters of its own. */
    public BindingCheckApiAdapterFactory(SslBundles sslBundles) {
        this(sslBundles, new RequestMeters(new SimpleMeterRegistry()));
    }

    /**
     * @param sharedSlots where the platforms' rate-limit slots are reserved, shared with every other worker
     *                    ({@link SharedRequestPacer}), closed with this factory; null: each platform is paced by this
     *                    process alone ({@link RequestPacer}) and the database is never asked
     */
    BindingCheckApiAdapterFactory(SslBundles sslBundles, RequestMeters requestMeters, RateSlots sharedSlots) {
        this.sslBundles = sslBundles;
        this.requestMeters = requestMeters;
        this.sharedSlots = sharedSlots;
    }

    /**
     * The slots over a connection of their own to the job repository, outside its pool: the pool keeps every connection
     * for the chunks, and a database that is down fails a reservation within seconds instead of the pool's half minute.
     */
    private static RateSlots sharedSlots(DataSource jobRepository) {
        if (jobRepository == null) {
            throw new AuditConfigurationException("audit.partitions / audit.role: several workers share each platform's rate "
                    + "limit through the job repository (spring.datasource.url), and there is none");
        }
        SimpleDriverDataSource ownConnection = DataSourceBuilder.derivedFrom(jobRepository).type(SimpleDriverDataSource.class).build();
        Properties timeouts = new Properties();
        // PostgreSQL's JDBC driver: seconds to set up a connection (its default is 10); other drivers ignore it
        timeouts.setProperty("connectTimeout", "2");
        ownConnection.setConnectionProperties(timeouts);
        return new RateSlots(ownConnection);
    }

    /**
     * HTTP/1.1 with keep-alive, 5 s to connect, no connection or queue limit below what the platforms'
     * max-concurrency can ask for. Like the JDK client it replaces: no redirects, no cookies, no
     * authentication or compression negotiation. Daemon threads, so a CLI run ends with its main thread.
     *
     * @param tls the TLS of every https:// platform asked through it; its host-name verification is set here
     */
    private static HttpClient newHttpClient(String name, SslContextFactory.Client tls) {
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        QueuedThreadPool threads = new QueuedThreadPool(HTTP_THREADS, 2);
        threads.setName(name);
        threads.setDaemon(true);
        HttpClient client = new HttpClient();
        client.setName(name);
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler(name + "-scheduler", true));
        client.setSslContextFactory(tls);
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
        String shown = shown(url);
        if (!("http".equals(scheme) || "https".equals(scheme)) || url.getHost() == null) {
            throw new AuditConfigurationException(key + ".url: '" + shown + "' is not an http:// or https:// URL with a host");
        }
        PlatformSettings settings = platform.settings();
        List<String> problems = new ArrayList<>();
        if (settings.timeout().isZero() || settings.timeout().isNegative()) {
            problems.add(key + ".timeout: must be positive");
        }
        if ("http".equals(scheme) && settings.sslBundle() != null) {
            problems.add(key + ".ssl-bundle: set for the plain http url '" + shown + "'; TLS needs an https:// url");
        } else if ("http".equals(scheme) && !settings.allowInsecureHttp() && !isLoopback(url.getHost())) {
            problems.add(key + ".url: '" + shown + "' is plain http to another machine, so ids and credentials would cross the "
                    + "network unencrypted: use https://, or set " + key + ".allow-insecure-http=true");
        }
        HttpClient client = http;
        if ("https".equals(scheme) && settings.sslBundle() != null) {
            try {
                client = clientOf(key + ".ssl-bundle", settings.sslBundle());
            } catch (AuditConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new AuditConfigurationException(problems);
        }
        PlatformMeters meters = requestMeters.of(platform.id());
        AdaptiveConcurrency concurrency = new AdaptiveConcurrency(platform, meters, concurrencyLines);
        return new BindingCheckApiAdapter(platform, new BindingCheckExchange(platform, client, concurrency), scheduler, meters,
                pacerOf(platform, meters), concurrency.limit());
    }

    /** The platform's pacer: null without a rate limit; shared by the workers when they are several; this process's own otherwise. */
    private Pacer pacerOf(Platform platform, PlatformMeters meters) {
        Double rateLimit = platform.settings().rateLimit();
        if (rateLimit == null) {
            return null;
        }
        return sharedSlots == null ? new RequestPacer(rateLimit, scheduler)
                : new SharedRequestPacer(platform.id(), rateLimit, sharedSlots, scheduler, meters);
    }

    /** The client for the platforms naming {@code bundleName}, made the first time one does. */
    private synchronized HttpClient clientOf(String key, String bundleName) {
        HttpClient client = httpBySslBundle.get(bundleName);
        if (client == null) {
            client = newHttpClient("platform-https-" + bundleName, tlsOf(key, bundleName));
            httpBySslBundle.put(bundleName, client);
        }
        return client;
    }

    /** The bundle's trust material (the platform's CA) and key material (a client certificate, if any), as Jetty's TLS. */
    private SslContextFactory.Client tlsOf(String key, String bundleName) {
        SslBundle bundle;
        try {
            bundle = sslBundles.getBundle(bundleName);
        } catch (NoSuchSslBundleException e) {
            throw new AuditConfigurationException(key + ": no SSL bundle named '" + bundleName + "' (spring.ssl.bundle.pem."
                    + bundleName + " or .jks." + bundleName + ")");
        }
        SslContextFactory.Client tls = new SslContextFactory.Client();
        try {
            tls.setSslContext(bundle.createSslContext());
        } catch (RuntimeException e) {
            throw new AuditConfigurationException(key + ": SSL bundle '" + bundleName + "' cannot be used: " + messagesOf(e));
        }
        SslOptions options = bundle.getOptions();
        if (options.getCiphers() != null) {
            tls.setIncludeCipherSuites(options.getCiphers());
        }
        if (options.getEnabledProtocols() != null) {
            tls.setIncludeProtocols(options.getEnabledProtocols());
        }
        return tls;
    }

    /**
     * The messages of a failure and its causes, each said once (Spring's repeat their cause's), and the
     * root cause's type: {@code …Error reading certificate or key from file '/etc/…/ca.crt' (NoSuchFileException)}.
     */
    private static String messagesOf(Throwable failure) {
        List<String> messages = new ArrayList<>();
        Throwable root = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            root = cause;
            String message = cause.getMessage();
            if (message != null && messages.stream().noneMatch(said -> said.contains(message))) {
                messages.add(message);
            }
        }
        return String.join(": ", messages) + " (" + root.getClass().getSimpleName() + ")";
    }

    /** The url as a message may show it: its user info and query, which may hold a credential, masked. */
    static String shown(URI url) {
        String text = url.toString();
        if (url.getRawUserInfo() != null) {
            text = text.replace(url.getRawUserInfo() + "@", "******@");
        }
        return url.getRawQuery() == null ? text : text.replace("?" + url.getRawQuery(), "?******");
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
        // the clients first: the requests they abort may still schedule retries, which shutdownNow then drops quietly
        List<HttpClient> clients = new ArrayList<>(List.of(http));
        synchronized (this) {
            clients.addAll(httpBySslBundle.values());
        }
        IllegalStateException failure = null;
        for (HttpClient client : clients) {
            try {
                client.stop();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot stop the HTTP client " + client.getName(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        scheduler.shutdownNow();
        if (sharedSlots != null) {
            sharedSlots.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
