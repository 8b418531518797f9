package com.numberaudit.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The part files of a partitioned run and their merge. Partition k writes {@code <staging>/parts/p<k>/<name>.csv}
 * without a header; the report step then writes each of the four result files as its header and the parts of p0,
 * p1, … in order. The partitions' ranges tile the night's rows in the order a single node reads them, so the merged
 * files are byte for byte a single node's.
 * <p>
 * Crash-safe and repeatable: each file is written under {@code <name>.csv.merging}, forced, and moved over
 * {@code <name>.csv} atomically; only when all four are merged is {@code parts} renamed to {@code parts.merged} and
 * deleted. A restart after a crash merges again while {@code parts} is there (from the parts, which nothing changed),
 * and otherwise only deletes what is left of {@code parts.merged}.
 */
final class PartitionOutputs {

    static final String PARTS = "parts";
    private static final String MERGED = "parts.merged";

    private PartitionOutputs() {
    }

    /** Where partition {@code index} writes its part files. */
    static Path folder(Path staging, int index) {
        return staging.resolve(PARTS).resolve("p" + index);
    }

    /**
     * Merges the part files of {@code partitions} partitions into the four result files of {@code staging}.
     *
     * @throws java.nio.file.NoSuchFileException when a partition's part file is missing (nothing is published then)
     * @throws IllegalStateException when there are parts of more partitions (a night begun with more): merging fewer
     *         would lose their rows
     */
    static void merge(Path staging, int partitions) throws IOException {
        Path parts = staging.resolve(PARTS);
        Path merged = staging.resolve(MERGED);
        if (Files.isDirectory(parts)) {
            try (Stream<Path> folders = Files.list(parts)) {
                List<String> others = folders.map(folder -> folder.getFileName().toString())
                        .filter(name -> !RowRangePartitioner.names(partitions).contains(name)).sorted().toList();
                if (!others.isEmpty()) {
                    throw new IllegalStateException("the night's partitions wrote parts " + others + " beyond the " + partitions
                            + " of audit.partitions: it was begun with more partitions; resume it with as many");
                }
            }
            for (Map.Entry<String, String> file : AuditResultWriter.HEADERS.entrySet()) {
                merge(staging, partitions, file.getKey() + ".csv", file.getValue());
            }
            ResultPublication.force(staging);
            Files.move(parts, merged, StandardCopyOption.ATOMIC_MOVE);
            ResultPublication.force(staging);
        }
        ResultPublication.deleteTree(merged);
    }

    private static void merge(Path staging, int partitions, String name, String header) throws IOException {
        Path merging = staging.resolve(name + ".merging");
        try (FileChannel out = FileChannel.open(merging, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ResultPublication.restrict(merging);
            ByteBuffer first = ByteBuffer.wrap((header + "\n").getBytes(StandardCharsets.UTF_8));
            while (first.hasRemaining()) {
                out.write(first);
            }
            for (int k = 0; k < partitions; k++) {
                try (FileChannel part = FileChannel.open(folder(staging, k).resolve(name), StandardOpenOption.READ)) {
                    long size = part.size();
                    for (long at = 0; at < size; ) {
                        at += part.transferTo(at, size - at, out);
                    }
                }
            }
            out.force(true);
        }
        Files.move(merging, staging.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
