package io.parley.migrations;

import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a PostgreSQL database to the newest schema with the versioned files under
 * {@code db/migration}. Blocking (JDBC): the node runs it before it deploys any verticle.
 */
public final class Migrator {
    public static final String DEFAULT_LOCATION = "classpath:db/migration";
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    private Migrator() {
    }

    /**
     * Applies every pending migration. A failing file throws {@link MigrationFailedException} naming it;
     * any other failure (database unreachable, bad credentials) an {@link IllegalStateException}.
     */
    public static int migrate(String jdbcUrl, String user, String password, List<String> locations) {
        Flyway flyway = Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations(locations.toArray(String[]::new))
                .failOnMissingLocations(true)
                // Verticle teams add migrations in parallel; one that lands with a lower number than
                // one already applied on a dev node is applied rather than refused.
                .outOfOrder(true)
                .load();
        try {
            MigrateResult result = flyway.migrate();
            LOG.info("database schema at version {} ({} migrations applied now)",
                    result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                    result.migrationsExecuted);
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            String file = failingFile(e);
            if (file == null) {
                throw new IllegalStateException(MigrationFailedException.firstLine(e.getMessage()), e);
            }
            throw new MigrationFailedException(file, e);
        }
    }

    public static int migrate(String jdbcUrl, String user, String password) {
        return migrate(jdbcUrl, user, password, List.of(DEFAULT_LOCATION));
    }

    private static String failingFile(FlywayException e) {
        String text = String.valueOf(e.getMessage());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(V[0-9_.]+__[\\w-]+\\.sql)").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** A migration failed; {@link #file()} names the versioned file that failed. */
    public static final class MigrationFailedException extends RuntimeException {
        private final String file;

        MigrationFailedException(String file, Throwable cause) {
            super("migration " + file + " failed: " + firstLine(cause.getMessage()), cause);
            this.file = file;
        }

        public String file() {
            return file;
        }

        static String firstLine(String message) {
            if (message == null) {
                return "";
            }
            String[] lines = message.strip().split("\n");
            for (String line : lines) {
                if (line.strip().startsWith("Message") && line.contains(":")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
                if (line.contains("ERROR")) {
                    return line.strip();
                }
            }
            return lines[0].strip();
        }
    }
}
