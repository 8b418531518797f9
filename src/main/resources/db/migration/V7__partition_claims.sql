-- A remote partition's claim (partition.PartitionClaims, docs/scale-out-design.md §6-§7): the worker running a
-- partition's step execution inserts its row before it acks the message (a duplicate key: another worker has it),
-- renews it while it lives, confirms it by token in each chunk's transaction (the fence) and deletes it when the
-- partition ends. The manager reads the rows to find a worker gone silent or killed, revokes a gone worker's claim
-- (token 'revoked', compared and set on renewals) and inserts 'revoked' for partitions nobody claimed before it
-- gave up on them, so that no worker starts them late. stop_requested asks the worker to stop at its next chunk.
-- Times are the database's clock.
CREATE TABLE audit_partition_claim (
    step_execution_id BIGINT                   NOT NULL PRIMARY KEY,
    job_execution_id  BIGINT                   NOT NULL,
    partition_name    VARCHAR(100)             NOT NULL,
    token             VARCHAR(36)              NOT NULL,
    host              VARCHAR(255)             NOT NULL,
    pid               BIGINT                   NOT NULL,
    -- as in audit_run_lease: where the pid means something, and the process's start in clock ticks since boot
    pid_space         VARCHAR(200),
    process_start     BIGINT,
    acquired_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    renewed_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    renewals          BIGINT                   NOT NULL,
    stop_requested    BOOLEAN                  NOT NULL
);
CREATE INDEX audit_partition_claim_job ON audit_partition_claim (job_execution_id);
