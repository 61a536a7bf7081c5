package io.parley.node;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The embedded PostgreSQL and Redis of a single-machine node, kept in its data folder so that
 * data survives a restart. Each is started only when no external server is configured.
 */
final class EmbeddedStores implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStores.class);
    private static final Duration POSTGRES_STARTUP = Duration.ofSeconds(60);
    static final String POSTGRES_FOLDER = "postgres";
    static final String REDIS_FOLDER = "redis";

    private EmbeddedPostgres postgres;
    private RedisServer redis;
    private int redisPort;

    /** Starts PostgreSQL in DATA/postgres and returns its URL (user postgres, database postgres). */
    String startPostgres(DataFolder data) {
        Path folder = data.resolve(POSTGRES_FOLDER);
        StaleProcess.stopIfRunning(folder.resolve("postmaster.pid"), "postgres", "INT");
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(folder)
                    .setCleanDataDirectory(false)
                    .setPort(freePort())
                    .setPGStartupWait(POSTGRES_STARTUP)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new NodeStartException("embedded PostgreSQL did not start in " + folder + ": " + e.getMessage(), e);
        }
        LOG.info("embedded PostgreSQL on 127.0.0.1:{} in {}", postgres.getPort(), folder);
        return "postgresql://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    /** Starts Redis with its files in DATA/redis and returns its URL. */
    String startRedis(DataFolder data) {
        Path folder = data.resolve(REDIS_FOLDER);
        Path pidFile = folder.resolve("redis.pid");
        StaleProcess.stopIfRunning(pidFile, "redis", "TERM");
        try {
            Files.createDirectories(folder);
            redisPort = freePort();
            redis = RedisServer.newRedisServer()
                    .port(redisPort)
                    .bind("127.0.0.1")
                    .setting("dir " + folder)
                    .setting("pidfile " + pidFile)
                    .setting("save 300 1")
                    .setting("appendonly no")
                    .setting("maxmemory-policy noeviction")
                    .build();
            redis.start();
        } catch (IOException | RuntimeException e) {
            throw new NodeStartException("embedded Redis did not start in " + folder + ": " + e.getMessage(), e);
        }
        LOG.info("embedded Redis on 127.0.0.1:{} in {}", redisPort, folder);
        return "redis://127.0.0.1:" + redisPort;
    }

    @Override
    public void close() {
        if (redis != null) {
            try {
                redis.stop();
            } catch (IOException | RuntimeException e) {
                LOG.warn("embedded Redis did not stop cleanly: {}", e.getMessage());
            }
            redis = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
            postgres = null;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new NodeStartException("no free port on this machine: " + e.getMessage(), e);
        }
    }
}
