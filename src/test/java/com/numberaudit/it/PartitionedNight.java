package com.numberaudit.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.SampleInput;
import testsupport.db.ScratchRepository;
import testsupport.mq.RabbitBroker;

/**
 * What the remote-partitioning ITs share: a scratch folder, a RabbitMQ queue and PostgreSQL repositories of their own
 * (closed, and the queue deleted, after each test), worker JVMs, and the night they audit.
 */
abstract class PartitionedNight {

    static final String DATE = "2026-11-28";
    static final List<String> RESULT_CSVS = List.of("clean.csv", "bound.csv", "undetermined.csv", "rejected.csv");

    @TempDir
    Path dir;

    final List<AutoCloseable> closing = new ArrayList<>();
    String queue;

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        if (queue != null) {
            RabbitBroker.deleteQueue(queue);
        }
    }

    /** A worker JVM of the jar on the test's queue and repository ({@code shared}), stopped after the test. */
    JarRun worker(String name, List<String> shared) {
        JarRun worker = JarRun.start(dir, name, with(List.of("--audit.role=worker"), shared));
        closing.add(worker);
        return worker;
    }

    /** A PostgreSQL repository of the test's own, dropped after it. */
    ScratchRepository repository() {
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
