package io.parley.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MigratorTest {
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Test
    void appliesEveryMigrationOnceAndIsIdempotent() throws Exception {
        String url = createDatabase("fresh");

        assertThat(Migrator.migrate(url, "postgres", "postgres")).isGreaterThanOrEqualTo(1);
        assertThat(Migrator.migrate(url, "postgres", "postgres")).isZero();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void namesTheFailingFile() throws Exception {
        String url = createDatabase("broken");

        assertThatThrownBy(() -> Migrator.migrate(url, "postgres", "postgres", List.of("classpath:db/broken")))
                .isInstanceOf(Migrator.MigrationFailedException.class)
                .hasMessageContaining("V2__not_sql.sql")
                .satisfies(e -> assertThat(((Migrator.MigrationFailedException) e).file()).isEqualTo("V2__not_sql.sql"));
    }

    private static String createDatabase(String name) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }
}
