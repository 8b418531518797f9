package com.numberaudit.ledger;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import testsupport.db.RepositoryDatabase;

/** A test of the ledger's pieces, each on a scratch database of its own ({@code @OnH2AndPostgreSQL}), dropped after it. */
abstract class LedgerDatabaseTest {

    @TempDir
    Path work;

    LedgerFixture fixture;

    /** Opens the test's scratch database, with the ledger's tables. */
    LedgerFixture openDatabase(RepositoryDatabase database) {
        fixture = new LedgerFixture(database, work);
        return fixture;
    }

    @AfterEach
    void dropDatabase() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }
}
