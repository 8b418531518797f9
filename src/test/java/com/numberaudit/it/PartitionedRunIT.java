package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import testsupport.db.ScratchRepository;
import testsupport.mq.RabbitBroker;

/**
 * Remote partitioning with the real jar (docs/scale-out-design.md §11): one manager of three partitions and two
 * worker JVMs over the real RabbitMQ and PostgreSQL write the four result files byte for byte as a single node does
 * (duplicates across the files and the partitions' boundaries, invalid rows, bound numbers); the workers end with
 * exit 0 on SIGTERM.
 */
@Tag("long")
@Timeout(600)
class PartitionedRunIT extends PartitionedNight {

    @Test
    void oneManagerAndTwoWorkersWriteTheFilesOfASingleNode() throws Exception {
        queue = RabbitBroker.newQueue();
        List<String> night = night(dir);
        Path single = dir.resolve("output-single");
        ScratchRepository singleRepository = repository();
        JarRun.Result reference = JarRun.run(dir, "single", with(night, "--audit.output=" + single, singleRepository.arguments()));
        assertThat(reference.exitCode()).as(reference.describe()).isZero();

        Path partitioned = dir.resolve("output-partitioned");
        ScratchRepository repository = repository();
        List<String> shared = with(List.of("--audit.output=" + partitioned, "--audit.simulator.bindings=file:" + dir.resolve("bindings.csv"),
                        "--audit.chunk-size=100"),
                repository.arguments(), RabbitBroker.arguments(queue));
        JarRun first = worker("worker-1", shared);
        JarRun second = worker("worker-2", shared);
        JarRun.Result manager = JarRun.run(dir, "manager", with(night, List.of("--audit.output=" + partitioned), repository.arguments(),
                RabbitBroker.arguments(queue), List.of("--audit.partitions=3", "--audit.partition-poll=200ms")));

        assertThat(manager.exitCode()).as(manager.describe()).isZero();
        for (String csv : RESULT_CSVS) {
            assertThat(Files.readAllBytes(partitioned.resolve(DATE).resolve(csv))).as(csv)
                    .isEqualTo(Files.readAllBytes(single.resolve(DATE).resolve(csv)));
        }
        assertThat(first.terminate(Duration.ofSeconds(60)).exitCode()).as("SIGTERM ends an idle worker").isZero();
        assertThat(second.terminate(Duration.ofSeconds(60)).exitCode()).isZero();
        assertThat(Files.readString(dir.resolve("worker-1.out")) + Files.readString(dir.resolve("worker-2.out")))
                .as("the workers ran the partitions").contains("Running audit-partition:p");
    }

    @Test
    void aWorkerSetUpForAnotherNightFailsItsPartitionAndTheNightNamingTheDifference() throws Exception {
        queue = RabbitBroker.newQueue();
        List<String> night = night(dir);
        Path partitioned = dir.resolve("output-partitioned");
        ScratchRepository repository = repository();
        // the operator left WeChat out of the worker's configuration: its numbers would be released unasked
        worker("worker-without-wechat", with(List.of("--audit.output=" + partitioned, "--audit.simulator.bindings=file:" + dir.resolve("bindings.csv"),
                "--audit.chunk-size=100", "--audit.platforms.wechat.enabled=false"), repository.arguments(), RabbitBroker.arguments(queue)));
        JarRun.Result manager = JarRun.run(dir, "manager", with(night, List.of("--audit.output=" + partitioned), repository.arguments(),
                RabbitBroker.arguments(queue), List.of("--audit.partitions=2", "--audit.partition-poll=200ms")));

        assertThat(manager.exitCode()).as("%s%n--- the worker ---%n%s", manager.describe(),
                Files.readString(dir.resolve("worker-without-wechat.out"))).isEqualTo(1);
        assertThat(manager.stdout() + manager.stderr()).as(manager.describe())
                .contains("audit.platforms.wechat.enabled: true in the manager, false now");
        assertThat(partitioned.resolve(DATE)).as("nothing published").doesNotExist();
    }

}
