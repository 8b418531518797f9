package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditOutput;
import com.numberaudit.NumberAuditApplication;
import com.numberaudit.SampleInput;
import testsupport.db.OnH2AndPostgreSQL;
import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;
import testsupport.jdbc.FlakyDriver;

/**
 * The job repository's database fails in the middle of a chunk, and the same command is run
 * again once it is back: the run must resume and end with exactly the files of an uninterrupted
 * run, whether the commit itself failed (the execution is then left UNKNOWN, which Spring Batch
 * alone refuses to restart) or a statement inside the chunk did (the chunk is rolled back). On the
 * default H2 file and on PostgreSQL, each reached through {@link FlakyDriver}.
 */
class DatabaseFailureTest {

    private static final String DATE = "2026-11-28";

    /** The input, and the uninterrupted run's results every test compares with. */
    @TempDir
    static Path shared;

    private static List<String> common;

    @TempDir
    Path work;

    @BeforeAll
    static void reference() throws IOException {
        List<String> numbers = SampleInput.mobileNumbers(1_000, 77);
        Path input = SampleInput.writeInput(shared.resolve("input/pending.csv"), numbers);
        Path bindings = SampleInput.writeBindings(shared.resolve("bindings.csv"), numbers, "douyin", 7);
        common = List.of("--audit.input=" + input, "--audit.date=" + DATE, "--audit.chunk-size=100", "--audit.in-flight=200",
                "--audit.simulator.bindings=file:" + bindings);
        assertThat(NumberAuditApplication.run(Stream.concat(common.stream(), Stream.of("--audit.output=" + shared.resolve("reference")))
                .toArray(String[]::new))).isZero();
    }

    @AfterEach
    void heal() {
        FlakyDriver.heal();
    }

    @OnH2AndPostgreSQL
    void aFailedSaveAtTheStepsEndLeavesTheRunUnknownAndTheSameCommandResumesIt(RepositoryDatabase database) throws Exception {
        try (ScratchRepository repository = database.scratch(output())) {
            FlakyDriver.failContextSaveAfterStepEnd();

            assertThat(runFlaky(repository)).isEqualTo(1);
            assertThat(stepStatuses(repository)).as("the scenario: Spring Batch recorded the step as UNKNOWN").containsExactly("UNKNOWN");

            assertThat(run(repository)).isZero();
            assertSameAsReference();
        }
    }

    @OnH2AndPostgreSQL
    void aCommitWhoseReplyIsLostLeavesAnOrphanThatTheSameCommandResumes(RepositoryDatabase database) throws Exception {
        try (ScratchRepository repository = database.scratch(output())) {
            FlakyDriver.loseChunkCommitReply(4);

            assertThat(runFlaky(repository)).isEqualTo(1);
            assertThat(stepStatuses(repository)).as("the scenario: nothing could be recorded after the commit's reply was lost")
                    .containsExactly("STARTED");

            assertThat(run(repository)).isZero();
            assertSameAsReference();
        }
    }

    @OnH2AndPostgreSQL
    void aCommitLostOnTheWayWhileTheDatabaseStaysAwayLeavesAnOrphanThatTheSameCommandResumes(RepositoryDatabase database)
            throws Exception {
        try (ScratchRepository repository = database.scratch(output())) {
            FlakyDriver.loseChunkCommit(4);

            assertThat(runFlaky(repository)).isEqualTo(1);
            assertThat(stepStatuses(repository)).as("the scenario: nothing could be recorded after the commit failed")
                    .containsExactly("STARTED");

            assertThat(run(repository)).isZero();
            assertSameAsReference();
        }
    }

    @OnH2AndPostgreSQL
    void aStatementFailingInsideAChunkRollsItBackAndTheSameCommandResumes(RepositoryDatabase database) throws Exception {
        try (ScratchRepository repository = database.scratch(output())) {
            FlakyDriver.failContextSave(4);

            assertThat(runFlaky(repository)).isEqualTo(1);
            assertThat(stepStatuses(repository)).containsExactly("FAILED");

            assertThat(run(repository)).isZero();
            assertSameAsReference();
        }
    }

    @OnH2AndPostgreSQL
    void aRunAbandonedForARerunThatNeverStartedIsFollowedByThatRerun(RepositoryDatabase database) throws Exception {
        try (ScratchRepository repository = database.scratch(output())) {
            FlakyDriver.loseChunkCommit(4);
            assertThat(runFlaky(repository)).isEqualTo(1);
            try (Connection db = repository.connect(); Statement sql = db.createStatement()) {
                sql.executeUpdate("update BATCH_JOB_EXECUTION set STATUS = 'ABANDONED'");
            }

            assertThat(run(repository)).isZero();

            assertSameAsReference();
            assertThat(output().resolve(DATE).resolve("summary.json")).content().contains("\"rerun\" : 1");
        }
    }

    private Path output() {
        return work.resolve("output");
    }

    private List<String> stepStatuses(ScratchRepository repository) throws SQLException {
        List<String> statuses = new ArrayList<>();
        try (Connection db = repository.connect();
             Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select STATUS from BATCH_STEP_EXECUTION where STEP_NAME = 'audit' order by STEP_EXECUTION_ID")) {
            while (rs.next()) {
                statuses.add(rs.getString(1));
            }
        }
        return statuses;
    }

    private void assertSameAsReference() {
        for (String file : AuditOutput.FILES) {
            assertThat(output().resolve(DATE).resolve(file)).hasSameBinaryContentAs(shared.resolve("reference").resolve(DATE).resolve(file));
        }
    }

    /** The run, its job repository reached through the flaky driver. */
    private int runFlaky(ScratchRepository repository) {
        return run(repository.argumentsThrough("jdbc:flaky:", FlakyDriver.class));
    }

    /** The same command once the database is back. */
    private int run(ScratchRepository repository) {
        return run(repository.arguments());
    }

    private int run(List<String> datasource) {
        return NumberAuditApplication.run(Stream.of(common, List.of("--audit.output=" + output()), datasource)
                .flatMap(List::stream).toArray(String[]::new));
    }
}
