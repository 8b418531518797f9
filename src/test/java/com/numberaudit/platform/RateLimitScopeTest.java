package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.env.MockEnvironment;

import com.numberaudit.AuditConfigurationException;

class RateLimitScopeTest {

    @Test
    void oneNodeUnlessThereArePartitionsOrThisIsAWorker() {
        assertThat(RateLimitScope.from(new MockEnvironment())).isEqualTo(RateLimitScope.SINGLE_NODE);
        assertThat(RateLimitScope.SINGLE_NODE.shared()).isFalse();
        assertThat(RateLimitScope.from(new MockEnvironment().withProperty("audit.partitions", "1")).shared()).isFalse();
        assertThat(RateLimitScope.from(new MockEnvironment().withProperty("audit.role", "manager")).shared()).isFalse();
        assertThat(RateLimitScope.from(new MockEnvironment().withProperty("audit.partitions", "4")).shared()).isTrue();
        assertThat(RateLimitScope.from(new MockEnvironment().withProperty("audit.role", "worker")).shared()).isTrue();
    }

    @Test
    void oneNodeNeverTouchesTheDatabase() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("dataSource", new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/nowhere"));
        try (BindingCheckApiAdapterFactory factory = new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry(),
                new RequestMeters(new SimpleMeterRegistry()), new MockEnvironment(), beans.getBeanProvider(DataSource.class))) {
            assertThat(factory.name()).isEqualTo(BindingCheckApiAdapter.NAME);
        }
    }

    @Test
    void workersWithAnH2JobRepositoryAreRefusedAtStart() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("dataSource", new DriverManagerDataSource("jdbc:h2:mem:scope-test", "sa", ""));
        MockEnvironment worker = new MockEnvironment().withProperty("audit.role", "worker");

        assertThatThrownBy(() -> new BindingCheckApiAdapterFactory(new DefaultSslBundleRegistry(),
                new RequestMeters(new SimpleMeterRegistry()), worker, beans.getBeanProvider(DataSource.class)))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageContaining("must then be PostgreSQL").hasMessageContaining("H2");
    }
}
