package io.parley.client;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A PostgreSQL server of a test's own on a fixed port and folder, so that it can be stopped and
 * started again with its data, as an operator restarts one.
 */
final class StandalonePostgres {
    private final Path folder;
    private final int port;
    private EmbeddedPostgres server;

    private StandalonePostgres(Path folder, int port) {
        this.folder = folder;
        this.port = port;
    }

    static StandalonePostgres start(Path folder, int port) throws IOException {
        StandalonePostgres postgres = new StandalonePostgres(folder, port);
        postgres.start();
        return postgres;
    }

    /** Starts (again) on the same port with the same data. */
    void start() throws IOException {
        server = EmbeddedPostgres.builder().setDataDirectory(folder).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("synchronous_commit", "on").start();
    }

    String url() {
        return "postgresql://postgres:postgres@127.0.0.1:" + port + "/postgres";
    }

    void stop() throws IOException {
        server.close();
    }
}
