package com.numberaudit.ledger;

import java.nio.file.Path;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;

/**
 * A scratch job repository with the ledger's tables (Flyway's migrations), and what the ledger's
 * pieces need of it: one data source, so that a transaction opened here is the one they write in.
 */
final class LedgerFixture implements AutoCloseable {

    final ScratchRepository repository;
    final DataSource dataSource;
    final JdbcClient jdbc;
    final TransactionTemplate transaction;

    LedgerFixture(RepositoryDatabase database, Path work) {
        repository = database.scratch(work);
        LedgerDatabase.create(repository);
        dataSource = repository.dataSource();
        Flyway.configure().dataSource(dataSource).table("number_audit_schema_history").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    Ledger ledger(List<String> platforms) {
        return new Ledger(new JdbcTemplate(dataSource), platforms);
    }

    HeldSet heldSet() {
        return new HeldSet(jdbc, new DataSourceTransactionManager(dataSource));
    }

    /** Records a chunk as the writer does, in a transaction of its own. */
    void record(Ledger ledger, Night night, List<LedgerEntry> entries) {
        record(ledger, night, entries, OpenTickets.none());
    }

    /** Records a chunk of a night that started with these tickets open. */
    void record(Ledger ledger, Night night, List<LedgerEntry> entries, OpenTickets tickets) {
        transaction.executeWithoutResult(status -> ledger.record(night, entries, tickets));
    }

    @Override
    public void close() throws Exception {
        repository.close();
    }
}
