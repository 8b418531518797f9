package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** The partitions' row ranges: contiguous, in order, covering every row, the last one open-ended. */
class RowRangePartitionerTest {

    @Test
    void rangesTileTheEstimateInOrderAndTheLastIsOpenEnded() {
        Map<String, ExecutionContext> partitions = RowRangePartitioner.ranges(10, 3);

        assertThat(partitions.keySet()).containsExactly("p0", "p1", "p2");
        assertThat(partitions.values().stream().map(RowRangePartitionerTest::range).toList()).containsExactly(
                new RowRange(0, 3), new RowRange(3, 6), new RowRange(6, Long.MAX_VALUE));
        assertThat(partitions.values().stream().map(context -> context.getInt(AuditPartitionStep.PARTITION)).toList())
                .containsExactly(0, 1, 2);
    }

    @Test
    void morePartitionsThanRowsLeavesSomeEmptyAndLosesNone() {
        List<RowRange> ranges = RowRangePartitioner.ranges(2, 4).values().stream().map(RowRangePartitionerTest::range).toList();

        assertThat(ranges).containsExactly(new RowRange(0, 0), new RowRange(0, 1), new RowRange(1, 1), new RowRange(1, Long.MAX_VALUE));
        assertThat(ranges.stream().mapToLong(range -> range.within(2)).sum()).isEqualTo(2);
    }

    @Test
    void onePartitionIsTheSingleNodesRange() {
        assertThat(range(RowRangePartitioner.ranges(1_000_000, 1).get("p0"))).isEqualTo(RowRange.ALL);
    }

    @Test
    void aRestartAsksForTheSameNamesWhateverTheGridSize() {
        RowRangePartitioner partitioner = new RowRangePartitioner(List.of(), null, false, 3);

        assertThat(partitioner.getPartitionNames(6)).containsExactly("p0", "p1", "p2");
    }

    private static RowRange range(ExecutionContext context) {
        return new RowRange(context.getLong(AuditPartitionStep.FROM), context.getLong(AuditPartitionStep.TO));
    }
}
