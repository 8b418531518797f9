package com.numberaudit.metrics;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code audit.metrics}: where the run's metrics go besides the night's {@code metrics.prom}.
 *
 * @param pushgatewayUrl a Prometheus Pushgateway's base URL ({@code http://pushgateway:9091}); when set, each completed
 *                       run PUTs its metrics to {@code <url>/metrics/job/number_audit/date/<date>}; unset: no push
 */
@ConfigurationProperties("audit.metrics")
public record MetricsSettings(
        @Pattern(regexp = "https?://[^/?#@\\s]+(/[^?#\\s]*)?", message = "must be an http:// or https:// URL without user, query or fragment")
        String pushgatewayUrl) {
}
