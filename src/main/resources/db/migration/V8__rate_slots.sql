-- Each platform's rate limit shared by every process that asks it (platform.SharedRequestPacer, used when the audit
-- runs on several workers): the row of a platform holds the start of its next free request slot, on the database's
-- clock. A process reserves a slot with one UPSERT that moves next_slot on by the platform's interval and learns how
-- long to wait before sending in the slot it took; the row lock orders the reservations of all processes.
-- Created on H2 as well, where nothing uses it: one schema for every job repository.
CREATE TABLE audit_rate_slot (
    platform  VARCHAR(64)              NOT NULL PRIMARY KEY,
    next_slot TIMESTAMP WITH TIME ZONE NOT NULL
);
