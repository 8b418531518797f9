-- Answers that come days later: a platform that answered 202 gave a ticket; a number whose answer from that
-- platform is still PENDING when the night's pending-wait ends waits here, one row per number and platform.
-- Later nights poll the ticket before asking again; a ticket older than the platform's answer-within expires.
-- Written in the chunk's transaction with the number's trail (ledger.Ledger).
CREATE TABLE ledger_ticket (
    number     VARCHAR(11)  NOT NULL,
    platform   VARCHAR(64)  NOT NULL,
    ticket     VARCHAR(256) NOT NULL,
    -- the night the platform gave the ticket
    issued_on  DATE         NOT NULL,
    -- the x-correlator of the request that got it
    correlator VARCHAR(256),
    PRIMARY KEY (number, platform)
);
