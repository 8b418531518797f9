package testsupport.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** What the tests built on {@link ScratchRepository} rely on: each gets an empty repository of its own, gone afterwards. */
class ScratchRepositoryTest {

    @TempDir
    Path work;

    @Test
    void aPostgresRepositoryIsAnEmptySchemaOfItsOwnDroppedAtClose() throws Exception {
        String schema;
        try (ScratchRepository repository = ScratchRepository.postgres();
             Connection db = repository.connect();
             Statement sql = db.createStatement()) {
            assertThat(repository.arguments()).containsExactly("--spring.datasource.url=" + repository.url(),
                    "--spring.datasource.username=" + PostgresServer.user());
            schema = single(sql, "SELECT current_schema()");
            assertThat(repository.url()).contains("currentSchema=" + schema);
            assertThat(single(sql, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"))
                    .isEqualTo("0");
            sql.execute("CREATE TABLE batch_job_instance (id bigint)");
            try (ScratchRepository other = ScratchRepository.postgres(); Connection otherDb = other.connect();
                 Statement otherSql = otherDb.createStatement()) {
                assertThat(single(otherSql, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"))
                        .as("another test's repository").isEqualTo("0");
            }
        }

        try (Connection admin = PostgresServer.connect();
             PreparedStatement exists = admin.prepareStatement("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            exists.setString(1, schema);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("schema %s after close", schema).isZero();
            }
        }
    }

    @Test
    void anH2ServerRepositoryIsSharedByConnectionsAndStopsAtClose() throws Exception {
        String url;
        try (ScratchRepository repository = RepositoryDatabase.H2_SERVER.scratch(work)) {
            url = repository.url();
            assertThat(url).startsWith("jdbc:h2:tcp://127.0.0.1:");
            assertThat(repository.arguments()).containsExactly("--spring.datasource.url=" + url);
            try (Connection one = repository.connect(); Statement sql = one.createStatement()) {
                sql.execute("CREATE TABLE BATCH_JOB_INSTANCE (ID BIGINT)");
                sql.execute("INSERT INTO BATCH_JOB_INSTANCE VALUES (7)");
            }
            try (Connection two = repository.connect(); Statement sql = two.createStatement()) {
                assertThat(single(sql, "SELECT ID FROM BATCH_JOB_INSTANCE")).isEqualTo("7");
            }
            assertThat(work.resolve("job-repository/number-audit.mv.db")).exists();
        }
        assertThatThrownBy(() -> java.sql.DriverManager.getConnection(url, "", "")).isInstanceOf(SQLException.class);
    }

    @Test
    void theDefaultH2RepositoryNeedsNoArguments() throws Exception {
        try (ScratchRepository repository = RepositoryDatabase.H2.scratch(work.resolve("output"))) {
            assertThat(repository.arguments()).isEmpty();
            assertThat(repository.url()).startsWith("jdbc:h2:file:" + work.resolve("output/job-repository/number-audit"));
            assertThatThrownBy(repository::connect).as("no run has made the file yet").isInstanceOf(SQLException.class);
        }
    }

    @Test
    void anUnreachableServerSkipsThePostgresTestsNamingItsUrlOrFailsThemWhenRequired() {
        String nobody = "jdbc:postgresql://127.0.0.1:1/postgres";

        assertThatThrownBy(() -> PostgresServer.connect(nobody))
                .isInstanceOf(PostgresServer.required() ? AssertionFailedError.class : TestAbortedException.class)
                .hasMessageContaining("PostgreSQL not reachable at " + nobody);
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
