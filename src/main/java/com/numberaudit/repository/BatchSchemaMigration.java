package com.numberaudit.repository;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.stereotype.Component;

/**
 * Version 1 of the job repository: Spring Batch's own tables, from the DDL script Spring Batch
 * ships for the database in use ({@code org/springframework/batch/core/schema-<db>.sql}), so the
 * schema always matches the Batch version in the jar and is not copied here. Flyway runs it once
 * per database, in its history table, where Spring Boot's {@code initialize-schema: always} ran
 * the script on every start and left an "already exists" error each time (H2 wrote them to a trace
 * file that grew by ~29 KB a run).
 * <p>
 * A repository created by an earlier number-audit (the tables exist, Flyway's history does not) is
 * baselined at version 0 ({@code spring.flyway.baseline-on-migrate}); this migration then finds
 * Batch's tables in place and leaves them as they are.
 */
@Component
class BatchSchemaMigration implements JavaMigration {

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("1");
    }

    @Override
    public String getDescription() {
        return "Spring Batch job repository";
    }

    /** None: the script's content belongs to the Batch version in the jar, and it runs once. */
    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        if (hasTable(connection.getMetaData(), "BATCH_JOB_INSTANCE")) {
            return;
        }
        DatabaseDriver database = DatabaseDriver.fromJdbcUrl(connection.getMetaData().getURL());
        ClassPathResource script = new ClassPathResource("org/springframework/batch/core/schema-" + database.getId() + ".sql");
        if (!script.exists()) {
            throw new SQLException("Spring Batch has no schema for " + connection.getMetaData().getDatabaseProductName()
                    + "; number-audit supports H2 and PostgreSQL");
        }
        ScriptUtils.executeSqlScript(connection, script);
    }

    /** In the connection's current schema; H2 and PostgreSQL fold unquoted names differently. */
    private static boolean hasTable(DatabaseMetaData metaData, String name) throws SQLException {
        String schema = metaData.getConnection().getSchema();
        for (String candidate : new String[] {name, name.toLowerCase()}) {
            try (ResultSet tables = metaData.getTables(null, schema, candidate, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
