-- A partitioned night's open tickets, polled once by the manager's step "tickets" before any partition runs, with
-- the answer each poll brought: every partition (and the ledger in its chunks) reads this snapshot instead of polling
-- again and instead of ledger_ticket, which the partitions change as they go. One row per number of each ticket.
-- A restart reads the same snapshot (the tickets step completed: it does not poll again).
CREATE TABLE ledger_ticket_snapshot (
    run_date          DATE         NOT NULL,
    rerun             INTEGER      NOT NULL,
    platform          VARCHAR(64)  NOT NULL,
    number            VARCHAR(11)  NOT NULL,
    ticket            VARCHAR(256) NOT NULL,
    issued_on         DATE         NOT NULL,
    correlator        VARCHAR(256),
    -- the poll's answer for the number (BOUND, NOT_BOUND, NO_ANSWER); null: none kept (TICKET_UNKNOWN: asked afresh)
    status            VARCHAR(16),
    accounts          INTEGER,
    reason            VARCHAR(256),
    detail            VARCHAR(1024),
    answer_correlator VARCHAR(256),
    answer_ticket     VARCHAR(256),
    PRIMARY KEY (run_date, rerun, platform, number)
);
