package com.numberaudit.platform;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.springframework.stereotype.Component;

import com.numberaudit.AuditConfigurationException;

/**
 * Makes {@link BindingCheckApiAdapter}s. All platforms share one HTTP client (and its connection
 * pool) and one small scheduler for back-off, pacing and polling: no thread waits on a request.
 */
@Component
public class BindingCheckApiAdapterFactory implements BindingCheckAdapterFactory, AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, runnable -> {
        Thread thread = new Thread(runnable, "platform-scheduler");
        thread.setDaemon(true);
        return thread;
    });

    public BindingCheckApiAdapterFactory() {
        // every request schedules its own cut-off, cancelled when it completes: keep the queue to what is pending
        scheduler.setRemoveOnCancelPolicy(true);
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
            throw new AuditConfigurationException(key + ".url: '" + platform.baseUrl() + "' is not an http:// or https:// URL with a host");
        }
        PlatformSettings settings = platform.settings();
        if (settings.timeout().isZero() || settings.timeout().isNegative()) {
            throw new AuditConfigurationException(key + ".timeout: must be positive");
        }
        return new BindingCheckApiAdapter(platform, new BindingCheckExchange(platform, http, scheduler), scheduler);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
