package com.numberaudit.audit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps the step's restart state equal to what its result files hold when a chunk's transaction
 * rolls back. Spring Batch updates the streams' state before the chunk commits, and after a
 * failure saves that state as it is in memory; when the database failed before the commit (a
 * statement of the chunk's transaction), the files were rolled back but the saved state would
 * already count the chunk, and the restart could neither resume nor truncate. So a rollback puts
 * back the state of the last commit. (A failed commit itself leaves the chunk in the files, which
 * were flushed just before it: then the counted state is the right one and stays.)
 * <p>
 * Registered after the reader and the writer, so its {@code update} sees their state.
 */
final class CommittedState implements ItemStream {

    /** Spring Batch's own entries, which it writes outside the streams. */
    private static final String BATCH_KEYS = "batch.";

    private ExecutionContext context;
    private Map<String, Object> lastCommitted = Map.of();
    private boolean synchronizing;

    @Override
    public void open(ExecutionContext executionContext) {
        context = executionContext;
        lastCommitted = copy(executionContext);
    }

    @Override
    public void update(ExecutionContext executionContext) {
        context = executionContext;
        if (!synchronizing && TransactionSynchronizationManager.isSynchronizationActive()) {
            synchronizing = true;
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    synchronizing = false;
                    if (status == STATUS_COMMITTED) {
                        lastCommitted = copy(context);
                    } else if (status == STATUS_ROLLED_BACK) {
                        restore();
                    }
                }
            });
        }
    }

    private void restore() {
        List<String> uncommitted = context.toMap().keySet().stream()
                .filter(key -> !key.startsWith(BATCH_KEYS) && !lastCommitted.containsKey(key)).toList();
        uncommitted.forEach(context::remove);
        lastCommitted.forEach(context::put);
    }

    private static Map<String, Object> copy(ExecutionContext context) {
        return new HashMap<>(context.toMap());
    }
}
