package com.numberaudit.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;

/** Test set-up: a scratch repository's database, made to exist (the H2 file is otherwise first made by a run). */
final class LedgerDatabase {

    private LedgerDatabase() {
    }

    static void create(ScratchRepository repository) {
        if (repository.database() != RepositoryDatabase.H2) {
            return;
        }
        try (Connection created = DriverManager.getConnection(repository.url(), "", "")) {
            created.getMetaData();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create " + repository.url(), e);
        }
    }
}
