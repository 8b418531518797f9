-- What each night found, for the next night's report ("Since the previous night" in report.html): the
-- night's totals, written with its summary when the night ends (null for a night that never finished),
-- and each platform's answers.
ALTER TABLE ledger_night ADD COLUMN clean BIGINT;
ALTER TABLE ledger_night ADD COLUMN bound BIGINT;
ALTER TABLE ledger_night ADD COLUMN undetermined BIGINT;
ALTER TABLE ledger_night ADD COLUMN rejected BIGINT;

CREATE TABLE ledger_night_platform (
    run_date  DATE        NOT NULL,
    rerun     INTEGER     NOT NULL,
    platform  VARCHAR(64) NOT NULL,
    bound     BIGINT      NOT NULL,
    no_answer BIGINT      NOT NULL,
    PRIMARY KEY (run_date, rerun, platform)
);
