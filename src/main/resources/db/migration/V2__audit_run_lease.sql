-- One live run per business date (repository.RunLease): the row of a date names the process
-- auditing it, which renews it while it lives; a process finds it absent, or silent for longer
-- than audit.run-lease, before it may audit the date. Times are the database's own clock.
CREATE TABLE audit_run_lease (
    business_date DATE                     NOT NULL PRIMARY KEY,
    token         VARCHAR(36)              NOT NULL,
    host          VARCHAR(255)             NOT NULL,
    pid           BIGINT                   NOT NULL,
    -- where that pid means something (boot id, pid namespace, user) and the process's start in clock ticks since
    -- boot; null where this cannot be read (not Linux): then only the lease's expiry frees the date
    pid_space     VARCHAR(200),
    process_start BIGINT,
    acquired_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    renewed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    renewals      BIGINT                   NOT NULL
);
