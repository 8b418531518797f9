package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merge of the partitions' part files: a single node's bytes, and the same again after a crash at any point; parts
 * that are not what their partitions committed are refused.
 */
class PartitionOutputsTest {

    private static final List<String> NAMES = List.of("clean", "bound", "undetermined", "rejected");

    @TempDir
    Path staging;

    @Test
    void eachFileIsItsHeaderThenThePartsInPartitionOrder() throws IOException {
        List<Map<String, PartitionOutputs.Committed>> committed = parts(List.of("13700000001,2026-08-20,\n13700000002,,\n", "",
                "13700000003,2026-08-21,2026-11-25\n"));

        PartitionOutputs.merge(staging, committed);

        assertThat(Files.readString(staging.resolve("clean.csv"))).isEqualTo("number,cancelled_on,held_since\n"
                + "13700000001,2026-08-20,\n13700000002,,\n13700000003,2026-08-21,2026-11-25\n");
        assertThat(Files.readString(staging.resolve("bound.csv"))).as("no rows: the header alone, as a single node writes it")
                .isEqualTo("number,cancelled_on,platforms,held_since\n");
        assertThat(staging.resolve(PartitionOutputs.PARTS)).doesNotExist();
        assertThat(staging.resolve("parts.merged")).doesNotExist();
        try (var left = Files.list(staging)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("clean.csv", "bound.csv",
                    "undetermined.csv", "rejected.csv");
        }
    }

    @Test
    void aMergeKilledAfterSomeFilesIsDoneAgainFromTheUntouchedParts() throws IOException {
        List<Map<String, PartitionOutputs.Committed>> committed = parts(List.of("13700000001,2026-08-20,\n", "13700000002,,\n"));
        PartitionOutputs.merge(staging, committed);
        byte[] expected = Files.readAllBytes(staging.resolve("clean.csv"));

        // killed after clean.csv was moved and while bound.csv was being written
        Files.delete(staging.resolve("undetermined.csv"));
        Files.delete(staging.resolve("rejected.csv"));
        Files.writeString(staging.resolve("bound.csv.merging"), "number,cancel");
        Files.delete(staging.resolve("bound.csv"));
        parts(List.of("13700000001,2026-08-20,\n", "13700000002,,\n"));
        PartitionOutputs.merge(staging, committed);

        assertThat(Files.readAllBytes(staging.resolve("clean.csv"))).isEqualTo(expected);
        assertThat(Files.readString(staging.resolve("bound.csv"))).isEqualTo("number,cancelled_on,platforms,held_since\n");
        assertThat(staging.resolve("bound.csv.merging")).doesNotExist();
    }

    @Test
    void aMergeKilledWhileDeletingThePartsOnlyFinishesTheDeletion() throws IOException {
        List<Map<String, PartitionOutputs.Committed>> committed = parts(List.of("13700000001,2026-08-20,\n", "13700000002,,\n"));
        PartitionOutputs.merge(staging, committed);
        byte[] expected = Files.readAllBytes(staging.resolve("clean.csv"));
        Path merged = Files.createDirectories(staging.resolve("parts.merged").resolve("p1"));
        Files.writeString(merged.resolve("clean.csv"), "half deleted\n");

        PartitionOutputs.merge(staging, committed);

        assertThat(Files.readAllBytes(staging.resolve("clean.csv"))).isEqualTo(expected);
        assertThat(staging.resolve("parts.merged")).doesNotExist();
    }

    @Test
    void aMissingPartFailsTheMergeNamingItAndLeavesThePartsForTheRestart() throws IOException {
        List<Map<String, PartitionOutputs.Committed>> committed = parts(List.of("13700000001,2026-08-20,\n", "13700000002,,\n"));
        Path missing = PartitionOutputs.folder(staging, 1).resolve("clean.csv");
        Files.delete(missing);

        assertThatThrownBy(() -> PartitionOutputs.merge(staging, committed)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("partition p1's clean.csv (" + missing + ") is missing, not the 14 bytes its partition committed")
                .hasMessageContaining("share one audit.output folder");
        assertThat(staging.resolve(PartitionOutputs.PARTS)).isDirectory();
        assertThat(staging.resolve("clean.csv")).doesNotExist();
    }

    @Test
    void noPartsAndNoFilesMergedFromThemFailTheMergeSayingTheFolderMustBeShared() throws IOException {
        // the workers wrote their parts into a folder of their own (not shared with the manager's audit.output)
        List<Map<String, PartitionOutputs.Committed>> committed = parts(List.of("13700000001,2026-08-20,\n", "13700000002,,\n"));
        ResultPublication.deleteTree(staging.resolve(PartitionOutputs.PARTS));

        assertThatThrownBy(() -> PartitionOutputs.merge(staging, committed)).isInstanceOf(RerunRequired.class)
                .hasMessageStartingWith("the partitions' part files are not in " + staging.resolve(PartitionOutputs.PARTS)
                        + ", nor the files merged from them in " + staging + ": nothing is published.")
                .hasMessageContaining("share one audit.output folder");
    }

    @Test
    void aPartNotAsLongAsItsPartitionCommittedFailsTheMergeBeforeAnyFileIsWritten() throws IOException {
        // a clean.csv part of another attempt: a number found bound tonight, listed clean
        Path stale = p0sCleanPart();

        assertThatThrownBy(mergeWithP0sCleanPart("13700000001,2026-08-20,\n13700000009,2026-08-20,\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("partition p0's clean.csv (" + stale + ") holds 48 bytes, not the 24 its partition committed. ");
        try (var left = Files.list(staging)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactly(PartitionOutputs.PARTS);
        }
    }

    @Test
    void aPartAsLongAsItsPartitionCommittedButWithOtherBytesFailsTheMerge() throws IOException {
        // a stale clean.csv part of the same length: another number, one found bound tonight, in its place
        Path stale = p0sCleanPart();

        assertThatThrownBy(mergeWithP0sCleanPart("13700000009,2026-08-20,\n")).isInstanceOf(RerunRequired.class)
                .hasMessageStartingWith("partition p0's clean.csv (" + stale + ") holds the 24 bytes its partition committed, but not "
                        + "the same ones (CRC32C ");
        assertThat(staging.resolve("clean.csv")).doesNotExist();
    }

    @Test
    void partsOfMorePartitionsThanTheMergeKnowsFailItRatherThanLoseTheirRows() throws IOException {
        List<Map<String, PartitionOutputs.Committed>> committed = parts(List.of("13700000001,2026-08-20,\n", "13700000002,,\n", "13700000003,,\n"));

        assertThatThrownBy(() -> PartitionOutputs.merge(staging, committed.subList(0, 2))).isInstanceOf(IllegalStateException.class).hasMessageContaining("[p2]");
        assertThat(staging.resolve("clean.csv")).doesNotExist();
    }

    private Path p0sCleanPart() {
        return PartitionOutputs.folder(staging, 0).resolve("clean.csv");
    }

    /**
     * The merge of two partitions' parts, after p0's clean.csv part committed as {@code 13700000001,2026-08-20,} was
     * replaced by {@code rows} (as by a stale part of another attempt or host).
     */
    private ThrowableAssert.ThrowingCallable mergeWithP0sCleanPart(String rows) throws IOException {
        List<Map<String, PartitionOutputs.Committed>> committed = parts(List.of("13700000001,2026-08-20,\n", "13700000002,,\n"));
        Files.writeString(p0sCleanPart(), rows);
        return () -> PartitionOutputs.merge(staging, committed);
    }

    /**
     * Part files as partitions write them: clean.csv of partition k holds {@code clean.get(k)}, the others nothing.
     *
     * @return what each partition committed: the files' lengths and checksums
     */
    private List<Map<String, PartitionOutputs.Committed>> parts(List<String> clean) throws IOException {
        List<Map<String, PartitionOutputs.Committed>> committed = new ArrayList<>();
        for (int k = 0; k < clean.size(); k++) {
            Path folder = Files.createDirectories(PartitionOutputs.folder(staging, k));
            Map<String, PartitionOutputs.Committed> files = new HashMap<>();
            for (String name : NAMES) {
                byte[] bytes = (name.equals("clean") ? clean.get(k) : "").getBytes(StandardCharsets.UTF_8);
                Files.write(folder.resolve(name + ".csv"), bytes);
                CRC32C crc = new CRC32C();
                crc.update(bytes);
                files.put(name + ".csv", new PartitionOutputs.Committed((long) bytes.length, crc.getValue()));
            }
            committed.add(files);
        }
        return committed;
    }
}
