package com.numberaudit.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The part files of a partitioned run and their merge. Partition k writes {@code <staging>/parts/p<k>/<name>.csv}
 * without a header; the report step then writes each of the four result files as its header and the parts of p0,
 * p1, … in order. The partitions' ranges tile the night's rows in the order a single node reads them, so the merged
 * files are byte for byte a single node's.
 * <p>
 * Fail closed: each part file must be exactly as long as its partition's last completed execution committed (its
 * writer's position, in the execution's context), or nothing is merged. A part written on another host under the same
 * {@code audit.output} path, or left from an earlier attempt, would otherwise be published as tonight's results.
 * <p>
 * Crash-safe and repeatable: each file is written under {@code <name>.csv.merging}, forced, and moved over
 * {@code <name>.csv} atomically; only when all four are merged is {@code parts} renamed to {@code parts.merged} and
 * deleted. A restart after a crash merges again while {@code parts} is there (from the parts, which nothing changed),
 * and otherwise only deletes what is left of {@code parts.merged}.
 */
final class PartitionOutputs {

    static final String PARTS = "parts";
    private static final String MERGED = "parts.merged";
    /** What an operator does about part files that are not the partitions': the remedy of every refused merge. */
    private static final String SHARE_ONE_FOLDER = "The manager and every worker must share one audit.output folder (the same "
            + "files, not the same path on each host); once they do, audit the date again with --audit.rerun=true";

    private PartitionOutputs() {
    }

    /** Where partition {@code index} writes its part files. */
    static Path folder(Path staging, int index) {
        return staging.resolve(PARTS).resolve("p" + index);
    }

    /**
     * What a partition committed to one part file: its length and the CRC32C of its bytes; either null when the
     * partition did not record it.
     */
    record Committed(Long length, Long crc32c) {
    }

    /**
     * What each partition's last execution of {@code night} committed to its part files: by partition index, each
     * file's by name ({@code clean.csv}).
     *
     * @throws IllegalStateException when a partition has no completed execution
     */
    static List<Map<String, Committed>> committed(JobRepository jobRepository, JobInstance night, int partitions) {
        List<Map<String, Committed>> committed = new ArrayList<>();
        for (String name : RowRangePartitioner.names(partitions)) {
            StepExecution last = jobRepository.getLastStepExecution(night, AuditPartitionStep.NAME + ":" + name);
            if (last == null || last.getStatus() != BatchStatus.COMPLETED) {
                throw new IllegalStateException("partition " + name + " has no completed execution: its part files are not merged");
            }
            ExecutionContext context = last.getExecutionContext();
            Map<String, Committed> files = new LinkedHashMap<>();
            for (String file : AuditResultWriter.HEADERS.keySet()) {
                String length = AuditResultWriter.committedLengthKey(file);
                String checksum = AuditResultWriter.committedChecksumKey(file);
                files.put(file + ".csv", new Committed(context.containsKey(length) ? context.getLong(length) : null,
                        context.containsKey(checksum) ? context.getLong(checksum) : null));
            }
            committed.add(files);
        }
        return committed;
    }

    /**
     * Merges the part files of {@code committed.size()} partitions into the four result files of {@code staging},
     * once each part file is checked against what its partition committed.
     *
     * @param committed by partition index, what each of its part files held at its last commit, by file name
     * @throws RerunRequired when a part file is missing, or not as long as its partition committed, or not the bytes
     *         (another CRC32C) (nothing is published then; the message names each); or when there are neither parts nor
     *         the files merged from them (the workers wrote their parts into another folder)
     * @throws IllegalStateException when there are parts of more partitions (a night begun with more): merging fewer
     *         would lose their rows
     */
    static void merge(Path staging, List<Map<String, Committed>> committed) throws IOException {
        int partitions = committed.size();
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
            check(staging, committed);
            for (Map.Entry<String, String> file : AuditResultWriter.HEADERS.entrySet()) {
                merge(staging, committed, file.getKey() + ".csv", file.getValue());
            }
            ResultPublication.force(staging);
            Files.move(parts, merged, StandardCopyOption.ATOMIC_MOVE);
            ResultPublication.force(staging);
        } else if (AuditResultWriter.HEADERS.keySet().stream().anyMatch(file -> !Files.isRegularFile(staging.resolve(file + ".csv")))) {
            // merged before a crash, the four files would be there: parts/ moves away only after the last of them
            throw partsNotHere(staging);
        }
        ResultPublication.deleteTree(merged);
    }

    /**
     * The refusal when this host finds neither the partitions' part files nor the files merged from them: the workers
     * wrote them into a folder of their own, at the same path on another host or another path.
     */
    static RerunRequired partsNotHere(Path staging) {
        return new RerunRequired("the partitions' part files are not in " + staging.resolve(PARTS) + ", nor the files merged from "
                + "them in " + staging + ": nothing is published. " + SHARE_ONE_FOLDER);
    }

    /**
     * Every part file is there, as long as its partition committed and with the same CRC32C; else all that are not,
     * named. The checksum tells a part that is as long but not what the partition wrote (two numbers of one length
     * that swapped files in a stale part): its clean.csv could list a number found bound tonight.
     */
    private static void check(Path staging, List<Map<String, Committed>> committed) throws IOException {
        List<String> wrong = new ArrayList<>();
        for (int k = 0; k < committed.size(); k++) {
            for (String file : AuditResultWriter.HEADERS.keySet()) {
                String name = file + ".csv";
                Path part = folder(staging, k).resolve(name);
                Committed expected = committed.get(k).get(name);
                String which = "partition p" + k + "'s " + name + " (" + part + ")";
                if (expected == null || expected.length() == null || expected.crc32c() == null) {
                    wrong.add(which + ": its partition recorded no committed length and checksum");
                } else if (!Files.isRegularFile(part)) {
                    wrong.add(which + " is missing, not the " + bytes(expected.length()) + " bytes its partition committed");
                } else if (Files.size(part) != expected.length()) {
                    wrong.add(which + " holds " + bytes(Files.size(part)) + " bytes, not the " + bytes(expected.length())
                            + " its partition committed");
                } else {
                    long found = crc32c(part);
                    if (found != expected.crc32c()) {
                        wrong.add(which + " holds the " + bytes(expected.length()) + " bytes its partition committed, but not the "
                                + "same ones (CRC32C " + Long.toHexString(found) + ", committed " + Long.toHexString(expected.crc32c()) + ")");
                    }
                }
            }
        }
        if (!wrong.isEmpty()) {
            throw new RerunRequired(String.join("; ", wrong) + ". Nothing is published: the part files are not what the "
                    + "partitions wrote. " + SHARE_ONE_FOLDER);
        }
    }

    private static long crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        AuditResultWriter.update(crc, file);
        return crc.getValue();
    }

    private static String bytes(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    private static void merge(Path staging, List<Map<String, Committed>> committed, String name, String header) throws IOException {
        Path merging = staging.resolve(name + ".merging");
        try (FileChannel out = FileChannel.open(merging, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ResultPublication.restrict(merging);
            ByteBuffer first = ByteBuffer.wrap((header + "\n").getBytes(StandardCharsets.UTF_8));
            while (first.hasRemaining()) {
                out.write(first);
            }
            for (int k = 0; k < committed.size(); k++) {
                try (FileChannel part = FileChannel.open(folder(staging, k).resolve(name), StandardOpenOption.READ)) {
                    long size = part.size();
                    if (size != committed.get(k).get(name).length()) {
                        throw new IllegalStateException("partition p" + k + "'s " + name + " changed while it was merged: nothing is published");
                    }
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
