package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditOutput;
import com.numberaudit.NumberAuditApplication;
import com.numberaudit.SampleInput;
import testsupport.jdbc.FlakyDriver;

/**
 * The job repository's database fails in the middle of a chunk, and the same command is run
 * again once it is back: the run must resume and end with exactly the files of an uninterrupted
 * run, whether the commit itself failed (the execution is then left UNKNOWN, which Spring Batch
 * alone refuses to restart) or a statement inside the chunk did (the chunk is rolled back).
 */
class DatabaseFailureTest {

    private static final String DATE = "2026-11-28";

    @TempDir
    Path work;

    private List<String> common;

    @BeforeEach
    void input() throws IOException {
        List<String> numbers = SampleInput.mobileNumbers(1_000, 77);
        Path input = SampleInput.writeInput(work.resolve("input/pending.csv"), numbers);
        Path bindings = SampleInput.writeBindings(work.resolve("bindings.csv"), numbers, "douyin", 7);
        common = List.of("--audit.input=" + input, "--audit.date=" + DATE, "--audit.chunk-size=100", "--audit.in-flight=200",
                "--audit.simulator.bindings=file:" + bindings);
        assertThat(run("--audit.output=" + work.resolve("reference"))).isZero();
    }

    @AfterEach
    void heal() {
        FlakyDriver.heal();
    }

    @Test
    void aFailedSaveAtTheStepsEndLeavesTheRunUnknownAndTheSameCommandResumesIt() throws Exception {
        FlakyDriver.failContextSaveAfterStepEnd();

        assertThat(run(flaky())).isEqualTo(1);
        assertThat(stepStatuses()).as("the scenario: Spring Batch recorded the step as UNKNOWN").containsExactly("UNKNOWN");

        assertThat(run("--audit.output=" + work.resolve("output"))).isZero();
        assertSameAsReference();
    }

    @Test
    void aCommitWhoseReplyIsLostLeavesAnOrphanThatTheSameCommandResumes() throws Exception {
        FlakyDriver.loseChunkCommitReply(4);

        assertThat(run(flaky())).isEqualTo(1);
        assertThat(stepStatuses()).as("the scenario: nothing could be recorded after the commit's reply was lost").containsExactly("STARTED");

        assertThat(run("--audit.output=" + work.resolve("output"))).isZero();
        assertSameAsReference();
    }

    @Test
    void aCommitLostOnTheWayWhileTheDatabaseStaysAwayLeavesAnOrphanThatTheSameCommandResumes() throws Exception {
        FlakyDriver.loseChunkCommit(4);

        assertThat(run(flaky())).isEqualTo(1);
        assertThat(stepStatuses()).as("the scenario: nothing could be recorded after the commit failed").containsExactly("STARTED");

        assertThat(run("--audit.output=" + work.resolve("output"))).isZero();
        assertSameAsReference();
    }

    @Test
    void aStatementFailingInsideAChunkRollsItBackAndTheSameCommandResumes() throws Exception {
        FlakyDriver.failContextSave(4);

        assertThat(run(flaky())).isEqualTo(1);
        assertThat(stepStatuses()).containsExactly("FAILED");

        assertThat(run("--audit.output=" + work.resolve("output"))).isZero();
        assertSameAsReference();
    }

    @Test
    void aRunAbandonedForARerunThatNeverStartedIsFollowedByThatRerun() throws Exception {
        FlakyDriver.loseChunkCommit(4);
        assertThat(run(flaky())).isEqualTo(1);
        try (Connection db = DriverManager.getConnection(h2Url(), "", ""); Statement sql = db.createStatement()) {
            sql.executeUpdate("update BATCH_JOB_EXECUTION set STATUS = 'ABANDONED'");
        }

        assertThat(run("--audit.output=" + work.resolve("output"))).isZero();

        assertSameAsReference();
        assertThat(work.resolve("output").resolve(DATE).resolve("summary.json")).content().contains("\"rerun\" : 1");
    }

    /** The default job repository's H2 file, through the flaky driver. */
    private String[] flaky() {
        return new String[] {"--audit.output=" + work.resolve("output"),
                "--spring.datasource.url=jdbc:flaky:" + h2Url(), "--spring.datasource.driver-class-name=" + FlakyDriver.class.getName()};
    }

    private String h2Url() {
        return "jdbc:h2:file:" + work.resolve("output/job-repository/number-audit").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    private List<String> stepStatuses() throws SQLException {
        List<String> statuses = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(h2Url(), "", "");
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
            assertThat(work.resolve("output").resolve(DATE).resolve(file))
                    .hasSameBinaryContentAs(work.resolve("reference").resolve(DATE).resolve(file));
        }
    }

    private int run(String... args) {
        return NumberAuditApplication.run(Stream.concat(common.stream(), Stream.of(args)).toArray(String[]::new));
    }
}
