package com.numberaudit.demo;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.io.ResourceLoader;

import com.numberaudit.platform.DemoServer;

/**
 * With {@code audit.simulator.enabled=true}, offers the product a {@link DemoServer}: the built-in
 * simulator, started only if the run turns out to be a demo (no enabled platform is real).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("audit.simulator.enabled")
class DemoConfiguration {

    @Bean(destroyMethod = "close")
    @Lazy
    BindingCheckSimulator bindingCheckSimulator(SimulatorSettings settings, ResourceLoader resources) throws IOException {
        try (InputStream csv = resources.getResource(settings.bindings()).getInputStream()) {
            return BindingCheckSimulator.start(settings.port(), DemoBindings.read(csv, settings.bindings()), settings::faultsFor,
                    settings.tickets());
        }
    }

    @Bean
    DemoServer demoServer(ObjectProvider<BindingCheckSimulator> simulator) {
        return platformId -> simulator.getObject().baseUrl(platformId);
    }
}
