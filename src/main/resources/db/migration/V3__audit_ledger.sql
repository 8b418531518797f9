-- The audit ledger (package ledger): what number-audit remembers of numbers across nights. Written in
-- the transaction of each chunk, so it always agrees with the result files of the chunks committed.
--
-- ledger_number: a row per number held (BOUND, UNDETERMINED, PENDING): the held set. A number held is
-- re-audited every night until it is CLEAN; its row then goes (its trail keeps its history). A number
-- clean the first time it is checked never has a row here, only its trail: a row per audited number,
-- keyed by a number in no order, cost more CPU in H2 than the whole audit of the number does, and rows
-- kept for released numbers made re-auditing the held ones slower with every night (docs/performance.md,
-- "The ledger").
CREATE TABLE ledger_number (
    number         VARCHAR(11)   NOT NULL PRIMARY KEY,
    state          VARCHAR(12)   NOT NULL,
    -- the platforms still bound or unanswered, ';'-joined, sorted, and each one's answer (alipay:BOUND;jd:HTTP_500)
    platforms      VARCHAR(1000000),
    reasons        VARCHAR(1000000),
    cancelled_on   VARCHAR(10),
    -- the first night of the hold under way
    held_since     DATE          NOT NULL,
    first_checked  DATE          NOT NULL,
    last_checked   DATE          NOT NULL,
    nights_checked INTEGER       NOT NULL
);
CREATE INDEX ledger_number_held_since ON ledger_number (held_since);

-- One row per audited night (a date's first audit, or its n-th rerun): the platforms asked, in the order
-- of the trail, and whether held numbers were re-audited.
CREATE TABLE ledger_night (
    run_date  DATE          NOT NULL,
    rerun     INTEGER       NOT NULL,
    platforms VARCHAR(1000000) NOT NULL,
    reaudit   BOOLEAN       NOT NULL,
    PRIMARY KEY (run_date, rerun)
);

-- The held set of a night, taken once when the night first starts and read in this order after
-- tonight's input, also by a restart of the night: the same numbers in the same places.
CREATE TABLE ledger_reaudit (
    run_date     DATE        NOT NULL,
    rerun        INTEGER     NOT NULL,
    ordinal      INTEGER     NOT NULL,
    number       VARCHAR(11) NOT NULL,
    held_since   DATE        NOT NULL,
    cancelled_on VARCHAR(10),
    PRIMARY KEY (run_date, rerun, ordinal)
);

-- The trail: every number checked every night, with each platform's answer. A page holds the numbers of
-- one chunk that end in the same two digits (tail), one line each:
--   <number> <seq> <state> <input|ledger>[ <platform>=<answer>]...
-- where every platform not listed answered NOT_BOUND, and <seq> is the number's place in the night
-- (see ledger_request). Pages rather than a row per answer or per number: docs/performance.md, "The ledger".
CREATE TABLE ledger_trail (
    run_date  DATE             NOT NULL,
    rerun     INTEGER          NOT NULL,
    tail      SMALLINT         NOT NULL,
    first_seq BIGINT           NOT NULL,
    entries   VARCHAR(1000000) NOT NULL,
    PRIMARY KEY (run_date, rerun, tail, first_seq)
);
CREATE INDEX ledger_trail_tail ON ledger_trail (tail, run_date);

-- Which request brought each answer: the numbers of a night from first_seq to last_seq were answered by
-- the platform in the request with this x-correlator (a PENDING answer: the request that got the ticket).
CREATE TABLE ledger_request (
    run_date   DATE         NOT NULL,
    rerun      INTEGER      NOT NULL,
    platform   VARCHAR(64)  NOT NULL,
    first_seq  BIGINT       NOT NULL,
    last_seq   BIGINT       NOT NULL,
    correlator VARCHAR(256) NOT NULL,
    ticket     VARCHAR(256),
    PRIMARY KEY (run_date, rerun, platform, first_seq)
);
