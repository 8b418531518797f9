package com.numberaudit.metrics;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The run's Micrometer registry, in Prometheus form (what {@code metrics.prom} is scraped from), and the
 * observation registry Spring Batch records the job's and steps' metrics through: with one present, Spring Boot's
 * batch auto-configuration hands it to every job, step and the job operator ({@code BatchObservabilityBeanPostProcessor}).
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    /**
     * Spring Batch also observes each item read and processed: per number. Those are dropped before any handler sees
     * them (no timer per number); the hot path records per request.
     */
    private static final String PER_ITEM = "spring.batch.item.";

    @Bean
    PrometheusMeterRegistry meterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    @Bean
    ObservationRegistry observationRegistry(PrometheusMeterRegistry meterRegistry) {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig()
                .observationPredicate((name, context) -> !name.startsWith(PER_ITEM))
                // a batch job's metrics are read when it has ended: a timer per observation, no "active" long-task timers
                .observationHandler(new DefaultMeterObservationHandler(meterRegistry,
                        DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER));
        return observations;
    }
}
