package com.numberaudit.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The single node (the default) starts none of RabbitMQ's and Spring Integration's machinery; a manager of several
 * partitions and a worker do.
 */
class RemotePartitioningTest {

    @Test
    void the_single_node_excludes_the_transport_auto_configurations() {
        StandardEnvironment single = environment(Map.of());
        StandardEnvironment one = environment(Map.of("audit.partitions", "1"));

        assertThat(single.getProperty("spring.autoconfigure.exclude")).contains("RabbitAutoConfiguration", "IntegrationAutoConfiguration");
        assertThat(one.getProperty("spring.autoconfigure.exclude")).contains("RabbitAutoConfiguration", "IntegrationAutoConfiguration");
        assertThat(RemotePartitioning.transport(single)).isFalse();
    }

    @Test
    void a_manager_of_several_partitions_and_a_worker_keep_them() {
        StandardEnvironment manager = environment(Map.of("audit.partitions", "3"));
        StandardEnvironment worker = environment(Map.of("audit.role", "WORKER"));

        assertThat(manager.getProperty("spring.autoconfigure.exclude")).isNull();
        assertThat(worker.getProperty("spring.autoconfigure.exclude")).isNull();
        assertThat(RemotePartitioning.manager(manager)).isTrue();
        assertThat(RemotePartitioning.worker(worker)).isTrue();
        assertThat(RemotePartitioning.manager(worker)).as("a worker is no manager").isFalse();
    }

    @Test
    void an_unreadable_partition_count_is_the_single_node_here_and_refused_by_the_configuration_check() {
        assertThat(RemotePartitioning.transport(environment(Map.of("audit.partitions", "many")))).isFalse();
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new RemotePartitioning().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
