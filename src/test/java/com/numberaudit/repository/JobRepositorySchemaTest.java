package com.numberaudit.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import com.numberaudit.NumberAuditApplication;
import com.numberaudit.SampleInput;
import testsupport.db.ScratchRepository;

/**
 * The default job repository (H2 under the output folder) is created by Flyway once and then left
 * alone: reruns add no "already exists" errors to an H2 trace file, and a repository made by an
 * earlier number-audit (Batch's tables, no Flyway history) is taken over as it is. On PostgreSQL,
 * the tables go into the schema the URL names ({@code currentSchema}).
 */
class JobRepositorySchemaTest {

    @TempDir
    Path work;

    @Test
    void reruns_leave_no_trace_file_and_the_schema_is_migrated_once() throws Exception {
        Path input = SampleInput.writeInput(work.resolve("input/pending.csv"), SampleInput.mobileNumbers(50, 3));
        Path output = work.resolve("output");
        for (int rerun = 0; rerun < 3; rerun++) {
            assertThat(NumberAuditApplication.run("--audit.input=" + input, "--audit.output=" + output,
                    "--audit.date=2026-11-28", "--audit.rerun=" + (rerun > 0))).isZero();
        }

        Path trace = output.resolve("job-repository/number-audit.trace.db");
        assertThat(trace).as("H2 writes errors to a .trace.db file: %s", Files.exists(trace) ? Files.readString(trace) : "").doesNotExist();
        assertThat(history(output)).startsWith("1 Spring Batch job repository").doesNotHaveDuplicates();
    }

    @Test
    void a_repository_made_before_flyway_keeps_its_runs() throws Exception {
        Path output = work.resolve("output");
        try (Connection connection = DriverManager.getConnection(url(output), "", "")) {
            ScriptUtils.executeSqlScript(connection, new ClassPathResource("org/springframework/batch/core/schema-h2.sql"));
            connection.createStatement().execute("INSERT INTO BATCH_JOB_INSTANCE (JOB_INSTANCE_ID, VERSION, JOB_NAME, JOB_KEY)"
                    + " VALUES (77, 0, 'earlier', 'k')");
        }
        Path input = SampleInput.writeInput(work.resolve("input/pending.csv"), SampleInput.mobileNumbers(50, 3));

        assertThat(NumberAuditApplication.run("--audit.input=" + input, "--audit.output=" + output, "--audit.date=2026-11-28")).isZero();

        assertThat(history(output)).startsWith("0 << Flyway Baseline >>", "1 Spring Batch job repository").doesNotHaveDuplicates();
        try (Connection connection = DriverManager.getConnection(url(output), "", "");
             ResultSet names = connection.createStatement().executeQuery("SELECT JOB_NAME FROM BATCH_JOB_INSTANCE ORDER BY JOB_INSTANCE_ID")) {
            List<String> jobs = new ArrayList<>();
            while (names.next()) {
                jobs.add(names.getString(1));
            }
            assertThat(jobs).containsExactlyInAnyOrder("numberAudit", "earlier");
        }
    }

    @Test
    void on_postgresql_the_schema_is_migrated_once_into_the_repositorys_own_schema() throws Exception {
        Path input = SampleInput.writeInput(work.resolve("input/pending.csv"), SampleInput.mobileNumbers(50, 3));
        try (ScratchRepository repository = ScratchRepository.postgres()) {
            for (int rerun = 0; rerun < 3; rerun++) {
                List<String> args = new ArrayList<>(repository.arguments());
                args.addAll(List.of("--audit.input=" + input, "--audit.output=" + work.resolve("output"),
                        "--audit.date=2026-11-28", "--audit.rerun=" + (rerun > 0)));
                assertThat(NumberAuditApplication.run(args.toArray(String[]::new))).isZero();
            }

            try (Connection connection = repository.connect()) {
                assertThat(history(connection)).startsWith("1 Spring Batch job repository").doesNotHaveDuplicates();
                List<String> tables = new ArrayList<>();
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() ORDER BY table_name")) {
                    while (rows.next()) {
                        tables.add(rows.getString(1));
                    }
                }
                assertThat(tables).as("in the schema of the URL's currentSchema").contains("batch_job_execution",
                        "batch_job_instance", "batch_step_execution", "batch_step_execution_context", "number_audit_schema_history", "audit_run_lease",
                        "ledger_number", "ledger_night", "ledger_reaudit", "ledger_trail", "ledger_request", "ledger_ticket",
                        "audit_rate_slot");
            }
        }
        assertThat(work.resolve("output/job-repository")).as("no H2 file beside a PostgreSQL repository").doesNotExist();
    }

    private static String url(Path output) {
        return "jdbc:h2:file:" + output.toAbsolutePath().resolve("job-repository/number-audit");
    }

    private static List<String> history(Path output) throws SQLException, IOException {
        try (Connection connection = DriverManager.getConnection(url(output), "", "")) {
            return history(connection);
        }
    }

    private static List<String> history(Connection connection) throws SQLException {
        List<String> applied = new ArrayList<>();
        try (ResultSet rows = connection.createStatement().executeQuery(
                "SELECT \"version\", \"description\" FROM \"number_audit_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rows.next()) {
                applied.add(rows.getString(1) + " " + rows.getString(2));
            }
        }
        return applied;
    }
}
