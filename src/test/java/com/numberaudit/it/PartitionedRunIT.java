package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.SampleInput;
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
class PartitionedRunIT {

    static final String DATE = "2026-11-28";
    static final List<String> RESULT_CSVS = List.of("clean.csv", "bound.csv", "undetermined.csv", "rejected.csv");

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private String queue;

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        if (queue != null) {
            RabbitBroker.deleteQueue(queue);
        }
    }

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

    private JarRun worker(String name, List<String> shared) {
        JarRun worker = JarRun.start(dir, name, with(List.of("--audit.role=worker"), shared));
        closing.add(worker);
        return worker;
    }

    private ScratchRepository repository() {
        ScratchRepository repository = ScratchRepository.postgres();
        closing.add(repository);
        return repository;
    }

    /**
     * 3,000 rows in two files: numbers repeated across the files (and so across partitions), invalid ones, every
     * seventh number bound on WeChat; the arguments of a night over them, without its output and repository.
     */
    static List<String> night(Path dir) throws IOException {
        List<String> numbers = SampleInput.mobileNumbers(2_800, 20_261_128L);
        List<String> a = new ArrayList<>(numbers.subList(0, 1_400));
        List<String> b = new ArrayList<>(numbers.subList(1_400, 2_800));
        for (int i = 0; i < 100; i++) {
            b.add(i * 13, numbers.get(i * 11)); // listed again in the second file
            a.add(i * 13 + 5, "1234" + i); // not a mobile number
        }
        SampleInput.writeInput(dir.resolve("input").resolve("a.csv"), a);
        SampleInput.writeInput(dir.resolve("input").resolve("b.csv"), b);
        SampleInput.writeBindings(dir.resolve("bindings.csv"), numbers, "wechat", 7);
        return List.of("--audit.input=" + dir.resolve("input"), "--audit.date=" + DATE,
                "--audit.simulator.bindings=file:" + dir.resolve("bindings.csv"), "--audit.chunk-size=100");
    }

    @SafeVarargs
    static List<String> with(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    static List<String> with(List<String> first, String more, List<String> rest) {
        return with(first, List.of(more), rest);
    }
}
