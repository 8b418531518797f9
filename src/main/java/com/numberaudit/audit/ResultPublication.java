package com.numberaudit.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformIds;
import com.numberaudit.report.PlatformNotices;

/**
 * Makes a date's results appear whole. A run writes into {@code <output>/.incomplete/<date>/};
 * only when it completes is that folder renamed to {@code <output>/<date>/}, so a release system
 * that reads {@code <date>/clean.csv} never sees a half-written or abandoned run. A rerun's folder
 * replaces the earlier results in two renames (the earlier folder is first set aside as
 * {@code <date>.replaced}). Results are personal data: folders {@code rwxr-x---}, files {@code rw-r-----}.
 */
final class ResultPublication {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r-----");

    private ResultPublication() {
    }

    /** Creates the staging folder of a run (kept as it is on a restart). */
    static void prepare(Path staging) {
        try {
            Files.createDirectories(staging.getParent());
            if (!Files.isDirectory(staging)) {
                Files.createDirectory(staging);
            }
            if (POSIX) {
                Files.setPosixFilePermissions(staging, FOLDER);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the results folder " + staging, e);
        }
    }

    /** Takes the world's (and the group's write) permissions from every result file in the folder, the ones just created too. */
    static void restrictAll(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            files.forEach(ResultPublication::restrict);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** Takes the world's (and the group's write) permissions from a result file or folder just created. */
    static void restrict(Path file) {
        if (POSIX && Files.exists(file)) {
            try {
                Files.setPosixFilePermissions(file, Files.isDirectory(file) ? FOLDER : FILE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restrict the permissions of " + file, e);
            }
        }
    }

    /** Writes a whole file into the staging folder, with the permissions of a result. */
    static void write(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        restrict(file);
    }

    /**
     * Writes a whole file into a published folder: under a hidden name first, then renamed, so that a reader (node_exporter's
     * textfile collector) never sees half of it.
     */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
        write(partial, content);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Writes a whole CSV file (a header, then the rows as they come) into the staging folder, with the permissions of
     * a result.
     *
     * @return how many rows it holds
     */
    static long writeCsv(Path file, String header, Stream<String[]> rows) throws IOException {
        CsvLineAggregator csv = new CsvLineAggregator();
        long count = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(header);
            out.write('\n');
            for (Iterator<String[]> row = rows.iterator(); row.hasNext(); count++) {
                out.write(csv.aggregate(row.next()));
                out.write('\n');
            }
        }
        restrict(file);
        return count;
    }

    /**
     * Writes {@code notices/<platform>.csv} into the staging folder from its bound.csv, afresh (a report step run again
     * after a crash rewrites them whole), with the permissions of results.
     *
     * @return per platform with a notice, how many ids it lists
     */
    static LinkedHashMap<String, Long> writeNotices(AuditTarget target, List<Platform> platforms) throws IOException {
        Path notices = target.staging().resolve(PlatformNotices.FOLDER);
        deleteTree(notices);
        prepare(notices);
        Map<String, PlatformIds> ids = new HashMap<>();
        platforms.forEach(platform -> ids.put(platform.id(), PlatformIds.of(platform.settings())));
        Map<String, Long> counts = PlatformNotices.write(target.staging().resolve("bound.csv"), notices, target.date(), ids);
        restrictAll(notices);
        return new LinkedHashMap<>(counts);
    }

    /** Deletes what an abandoned run left in its staging folder. */
    static void discard(Path staging) {
        deleteTree(staging);
    }

    /** Deletes the earlier results a completed publication set aside (left there if the process died just after the rename). */
    static void discardReplaced(AuditTarget target) {
        deleteTree(replaced(target));
    }

    private static Path replaced(AuditTarget target) {
        return target.output().resolve(target.date() + ".replaced");
    }

    /**
     * Renames the completed staging folder to the results folder, replacing an earlier run's
     * results whole; everything is forced to disk first.
     */
    static void publish(AuditTarget target) throws IOException {
        Path staging = target.staging();
        Path results = target.results();
        Path replaced = replaced(target);
        try (Stream<Path> files = Files.walk(staging)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                force(file);
            }
        }
        if (Files.exists(results)) {
            deleteTree(replaced);
            Files.move(results, replaced, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, results, StandardCopyOption.ATOMIC_MOVE);
        force(target.output());
        deleteTree(replaced);
        try (Stream<Path> others = Files.list(staging.getParent())) {
            if (others.findAny().isEmpty()) {
                Files.delete(staging.getParent());
            }
        }
    }

    static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            List<Path> paths = tree.sorted(Comparator.reverseOrder()).toList();
            for (Path path : paths) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
