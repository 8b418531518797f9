package com.numberaudit.platform;

import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.stereotype.Component;

import com.numberaudit.AuditConfigurationException;

/** Makes {@link BindingCheckApiAdapter}s; all platforms share one HTTP client and its connection pool. */
@Component
public class BindingCheckApiAdapterFactory implements BindingCheckAdapterFactory {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Override
    public String name() {
        return BindingCheckApiAdapter.NAME;
    }

    @Override
    public BindingCheckAdapter create(Platform platform) {
        String scheme = platform.baseUrl().getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || platform.baseUrl().getHost() == null) {
            throw new AuditConfigurationException("audit.platforms." + platform.id() + ".url: '" + platform.baseUrl()
                    + "' is not an http:// or https:// URL with a host");
        }
        return new BindingCheckApiAdapter(platform, http);
    }
}
