package com.numberaudit.platform;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.numberaudit.AuditProperties;

/** The platforms to ask: a night's manager (or single node) and a partitions' worker both need them. */
@Configuration(proxyBeanMethods = false)
public class PlatformConfiguration {

    @Bean
    PlatformRegistry platformRegistry(AuditProperties properties, List<BindingCheckAdapterFactory> factories,
                                      ObjectProvider<DemoServer> demoServer) {
        return PlatformRegistry.build(properties.platforms(), factories, demoServer.getIfAvailable());
    }
}
