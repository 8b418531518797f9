package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.numberaudit.AuditConfigurationException;
import com.numberaudit.AuditProperties;
import com.numberaudit.TestBinding;

class RateLimitScopeTest {

    @Test
    void oneNodeUnlessThereArePartitionsOrThisIsAWorker() {
        assertThat(RateLimitScope.of(settings())).isEqualTo(RateLimitScope.SINGLE_NODE);
        assertThat(RateLimitScope.SINGLE_NODE.shared()).isFalse();
        assertThat(RateLimitScope.of(settings("partitions", "1")).shared()).isFalse();
        assertThat(RateLimitScope.of(settings("role", "manager")).shared()).isFalse();
        assertThat(RateLimitScope.of(settings("partitions", "4")).shared()).isTrue();
        assertThat(RateLimitScope.of(settings("role", "worker")).shared()).isTrue();
    }

    private static AuditProperties settings(String... keysAndValues) {
        return TestBinding.bind(AuditProperties.class, keysAndValues);
    }

    @Test
    void oneNodeNeverTouchesTheDatabase() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("dataSource", new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/nowhere"));
        try (BindingCheckApiAdapterFactory factory = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry(),
                new RequestMeters(new SimpleMeterRegistry()), settings(), beans.getBeanProvider(DataSource.class))) {
            assertThat(factory.name()).isEqualTo(BindingCheckApiAdapter.NAME);
        }
    }

    @Test
    void workersWithAnH2JobRepositoryAreRefusedAtStart() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("dataSource", new DriverManagerDataSource("jdbc:h2:mem:scope-test", "sa", ""));
        AuditProperties worker = settings("role", "worker");

        assertThatThrownBy(() -> new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry(),
                new RequestMeters(new SimpleMeterRegistry()), worker, beans.getBeanProvider(DataSource.class)))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageContaining("must then be PostgreSQL").hasMessageContaining("H2");
    }
}
