package io.parley.node;

import io.parley.bus.BusKey;
import io.parley.bus.Contracts;
import io.parley.bus.Meters;
import io.parley.migrations.Migrator;
import io.parley.accounts.AccountsConfig;
import io.parley.accounts.AccountsVerticle;
import io.parley.accounts.FileVerificationSender;
import io.parley.accounts.LogVerificationSender;
import io.parley.accounts.VerificationSender;
import io.parley.groups.GroupsConfig;
import io.parley.groups.GroupsVerticle;
import io.parley.keys.KeysConfig;
import io.parley.keys.KeysVerticle;
import io.parley.messaging.MessagingConfig;
import io.parley.messaging.MessagingVerticle;
import io.parley.presence.PresenceConfig;
import io.parley.presence.PresenceVerticle;
import io.parley.receipts.ReceiptsVerticle;
import io.parley.sessions.EdgeConfig;
import io.parley.sessions.LocalDevices;
import io.parley.sessions.SessionsVerticle;
import io.parley.turn.TurnVerticle;
import io.parley.calls.CallsConfig;
import io.parley.calls.CallsVerticle;
import io.parley.calls.CallLifecycleVerticle;
import io.parley.media.MediaHttp;
import io.parley.media.MediaVerticle;
import io.parley.status.StatusVerticle;
import io.parley.events.EventsVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.net.BindException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Parley process: locks the data folder, starts the embedded stores it needs, migrates the
 * schema, creates Vert.x with the bus codec and metrics, deploys the verticles of its roles and
 * says so in one line. {@link #close()} undoes all of it, in reverse.
 */
public final class ParleyNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParleyNode.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int NODE_POOL_SIZE = 2;
    private static final int EDGE_AUTH_TIMEOUT_SECONDS = 10;
    private static final int REDIS_POOL_SIZE = 16;
    private static final int REDIS_POOL_WAITING = 100_000;
    private static final int EDGE_WRITE_QUEUE_BYTES = 1024 * 1024;
    private static final long EDGE_REQUEST_TIMEOUT_MS = 10_000;

    private final NodeConfig config;
    private final Function<Vertx, VerificationSender> verificationSender;
    private final Clock clock;
    private final LocalDevices localDevices = new LocalDevices();
    private final String nodeId = UUID.randomUUID().toString();
    private final EmbeddedStores stores = new EmbeddedStores();
    private DataFolder data;
    private Vertx vertx;
    private Pool pool;
    private PgConnectOptions postgres;
    private RedisOptions redis;
    private String installationId;
    /** TURN's settings with the installation's shared secret when the configuration gave none. */
    private io.parley.turn.TurnConfig turnConfig;
    private int httpPort;
    private TurnVerticle turn;
    private boolean closed;

    private ParleyNode(NodeConfig config, NodeHooks hooks) {
        this.config = config;
        this.verificationSender = hooks.verificationSender().orElseGet(() -> configuredSender(config));
        this.clock = hooks.clock();
    }

    /** Starts a node and returns once it serves; throws {@link NodeStartException} with the reason. */
    public static ParleyNode start(NodeConfig config) {
        return start(config, NodeHooks.none());
    }

    /** Starts a node with parts replaced (tests read verification codes through their own sender). */
    public static ParleyNode start(NodeConfig config, NodeHooks hooks) {
        ParleyNode node = new ParleyNode(config, hooks);
        try {
            node.startUp();
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e instanceof NodeStartException ? e : new NodeStartException(e.getMessage(), e);
        }
    }

    private void startUp() {
        long began = System.nanoTime();
        data = DataFolder.lock(config.dataDir());
        // Prepared once per connection and reused: without the cache every statement is parsed and
        // planned again on each execution, which made PostgreSQL's backends the largest CPU cost of
        // a 1:1 message at low rates (where a batch carries one or two messages).
        postgres = PgConnectOptions.fromUri(config.postgresUrl().orElseGet(() -> stores.startPostgres(data)))
                .setCachePreparedStatements(true);
        // Every verticle instance shares these limits; the defaults (6 connections, 24 waiting
        // requests) refuse work under a burst of rate-limit and route look-ups.
        redis = new RedisOptions().setConnectionString(config.redisUrl().orElseGet(() -> stores.startRedis(data)))
                .setMaxPoolSize(REDIS_POOL_SIZE).setMaxPoolWaiting(REDIS_POOL_WAITING);
        migrate();
        httpPort = config.httpPort() == 0 ? EmbeddedStores.freePort() : config.httpPort();

        String registry = "parley-" + nodeId;
        // Event bus metrics cost about 5 % of a node's CPU per 1:1 message (a meter look-up per bus
        // message, several bus messages per chat message) and no dashboard reads them: Parley's own
        // meters count messages, deliveries and inbox depth instead.
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(new MicrometerMetricsOptions()
                .setEnabled(true)
                .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.EVENT_BUS)
                .setJvmMetricsEnabled(true)
                .setRegistryName(registry)
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
        if (config.cluster().enabled()) {
            NodeConfig.Cluster cluster = config.cluster();
            io.vertx.spi.cluster.hazelcast.HazelcastClusterManager members = Clustering.clusterManager(cluster, nodeId);
            vertx = await(Vertx.builder().with(options.setEventBusOptions(Clustering.eventBus(cluster)))
                    .withMetrics(new MicrometerMetricsFactory())
                    .withClusterManager(members)
                    .buildClustered(), "joining the cluster on " + cluster.host() + ":" + cluster.port()
                    + " with members " + cluster.members());
            Clustering.announceDepartures(members, vertx);
            LOG.info("node {} joined cluster '{}' on {}:{}", nodeId, cluster.name(), cluster.host(), cluster.port());
        } else {
            vertx = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory()).build();
        }
        Contracts.registerCodecs(vertx);
        Meters.bind(vertx, io.vertx.micrometer.backends.BackendRegistries.getNow(registry));
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(NODE_POOL_SIZE)).connectingTo(postgres)
                .using(vertx).build();
        installationId = await(recordInstallation(), "reading the installation id from PostgreSQL");
        BusKey.install(vertx, Base64.getDecoder().decode(await(shared("bus_key", BusKey.newEncodedKey()),
                "reading the bus key from PostgreSQL")));
        turnConfig = config.turn().secret().startsWith(TurnSettings.UNSET)
                ? config.turn().withSecret(await(shared("turn_secret", TurnSettings.newSecret()),
                        "reading the TURN secret from PostgreSQL"))
                : config.turn();
        NodeMeters.register(Meters.of(vertx), localDevices, () -> turn == null ? null : turn.stats());
        Handler<Router> opsRoutes = OpsRoutes.create(vertx, pool, Redis.createClient(vertx, redis), registry);
        AdminRoutes admin = new AdminRoutes(vertx, AdminToken.resolve(config.ops().adminToken(), data.root()));
        BackupRoutes backups = new BackupRoutes(vertx, config.ops().backupMaxBytes());
        await(deploy(router -> {
            opsRoutes.handle(router);
            admin.mount(router);
            backups.mount(router);
        }), "deploying verticles");
        LOG.info("node {} of installation {} started in {} ms with roles {}", nodeId, installationId,
                (System.nanoTime() - began) / 1_000_000, config.roles());
        LOG.info("Parley ready on http://{}:{}", displayHost(), httpPort);
    }

    private void migrate() {
        String jdbcUrl = "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getPort() + "/" + postgres.getDatabase();
        try {
            Migrator.migrate(jdbcUrl, postgres.getUser(), postgres.getPassword());
        } catch (Migrator.MigrationFailedException e) {
            throw new NodeStartException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new NodeStartException("cannot migrate PostgreSQL at " + postgres.getHost() + ":" + postgres.getPort()
                    + ": " + e.getMessage(), e);
        }
    }

    private Future<String> recordInstallation() {
        return shared("installation_id", UUID.randomUUID().toString());
    }

    /** A value every node of the installation shares: the first node to start writes its proposal. */
    private Future<String> shared(String key, String proposal) {
        return pool.preparedQuery("INSERT INTO node_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .execute(Tuple.of(key, proposal))
                .compose(r -> pool.preparedQuery("SELECT value FROM node_meta WHERE key = $1").execute(Tuple.of(key)))
                .map(rows -> rows.iterator().next().getString("value"));
    }

    private static Function<Vertx, VerificationSender> configuredSender(NodeConfig config) {
        return config.accounts().verificationSender().equals("file")
                ? vertx -> new FileVerificationSender(vertx, config.accounts().verificationFile())
                : vertx -> new LogVerificationSender();
    }

    private Future<?> deploy(Handler<Router> opsRoutes) {
        List<Future<?>> deployments = new ArrayList<>();
        PoolOptions poolOptions = new PoolOptions().setMaxSize(config.postgresPoolSize());
        if (config.hasRole(Roles.ACCOUNTS)) {
            deployments.add(vertx.deployVerticle(() -> new AccountsVerticle(postgres, poolOptions, redis,
                    config.accounts().limits().withBackupMaxBytes(config.ops().backupMaxBytes()), verificationSender, clock),
                    new DeploymentOptions().setInstances(config.instancesOf(Roles.ACCOUNTS))));
        }
        if (config.hasRole(Roles.MESSAGING)) {
            deployments.add(vertx.deployVerticle(() -> new MessagingVerticle(postgres, poolOptions, redis,
                    MessagingConfig.defaults().withSweepInterval(Duration.ofSeconds(config.messagingSweepSeconds()))
                            .withCommitLinger(Duration.ofNanos(config.messagingCommitLingerMicros() * 1_000L)), clock),
                    new DeploymentOptions().setInstances(config.instancesOf(Roles.MESSAGING))));
        }
        if (config.hasRole(Roles.RECEIPTS)) {
            deployments.add(vertx.deployVerticle(ReceiptsVerticle::new,
                    new DeploymentOptions().setInstances(config.instancesOf(Roles.RECEIPTS))));
        }
        if (config.hasRole(Roles.PRESENCE)) {
            deployments.add(vertx.deployVerticle(() -> new PresenceVerticle(redis,
                    PresenceConfig.of(Duration.ofSeconds(config.presenceSweepSeconds()),
                            Duration.ofSeconds(config.presenceOnlineTtlSeconds())), clock),
                    new DeploymentOptions().setInstances(config.instancesOf(Roles.PRESENCE))));
        }
        if (config.hasRole(Roles.KEYS)) {
            deployments.add(vertx.deployVerticle(() -> new KeysVerticle(postgres, poolOptions, redis, KeysConfig.defaults()),
                    new DeploymentOptions().setInstances(config.instancesOf(Roles.KEYS))));
        }
        if (config.hasRole(Roles.GROUPS)) {
            deployments.add(vertx.deployVerticle(() -> new GroupsVerticle(postgres, poolOptions, GroupsConfig.defaults(), clock),
                    new DeploymentOptions().setInstances(config.instancesOf(Roles.GROUPS))));
        }
        if (config.hasRole(Roles.EDGE)) {
            NodeConfig.Edge limits = config.edge();
            EdgeConfig edge = new EdgeConfig(config.httpHost(), httpPort, nodeId, limits.maxFrameBytes(),
                    limits.heartbeatSeconds(), limits.idleTimeoutSeconds(), EDGE_AUTH_TIMEOUT_SECONDS,
                    EDGE_WRITE_QUEUE_BYTES, EDGE_REQUEST_TIMEOUT_MS, new EdgeConfig.RateLimits(limits.userPerSecond(),
                    limits.userBurst(), limits.ipPerSecond(), limits.ipBurst()));
            // The media role's HTTP side shares the edge's server when this node runs both.
            Handler<Router> media = config.hasRole(Roles.MEDIA)
                    ? MediaHttp.routes(vertx, postgres, poolOptions, config.media(), clock) : router -> { };
            Handler<Router> nodeRoutes = router -> {
                opsRoutes.handle(router);
                media.handle(router);
            };
            deployments.add(vertx.deployVerticle(() -> new SessionsVerticle(edge, redis, localDevices, nodeRoutes),
                    new DeploymentOptions().setInstances(config.instancesOf(Roles.EDGE)))
                    .recover(e -> Future.failedFuture(isBindFailure(e)
                            ? new NodeStartException("HTTP port " + httpPort + " on " + config.httpHost()
                                    + " is in use; stop what holds it or start with --port", e)
                            : e)));
        }
        if (config.hasRole(Roles.TURN)) {
            turn = new TurnVerticle(turnConfig, clock);
            deployments.add(vertx.deployVerticle(turn).recover(e -> Future.failedFuture(isBindFailure(e)
                    ? new NodeStartException("TURN port " + turnConfig.port() + " on " + turnConfig.bindHost()
                            + " is in use; stop what holds it or set turn.port", e)
                    : e)));
        }
        if (config.hasRole(Roles.CALLS)) {
            CallsConfig calls = new CallsConfig(turnConfig.secret(), turnConfig.credentialLifetime(), this::turnUrls);
            deployments.add(vertx.deployVerticle(() -> new CallsVerticle(calls, clock),
                    new DeploymentOptions().setInstances(config.instancesOf(Roles.CALLS))));
        }
        if (config.hasRole(Roles.CALLS)) {
            deployments.add(vertx.deployVerticle(() -> new CallLifecycleVerticle(postgres, poolOptions, redis, config.calls(),
                    clock), new DeploymentOptions().setInstances(config.instancesOf(Roles.CALLS))));
        }
        if (config.hasRole(Roles.MEDIA)) {
            deployments.add(vertx.deployVerticle(() -> new MediaVerticle(postgres, poolOptions, config.media(), clock),
                    new DeploymentOptions().setInstances(config.instancesOf(Roles.MEDIA))));
        }
        if (config.hasRole(Roles.STATUS)) {
            deployments.add(vertx.deployVerticle(() -> new StatusVerticle(postgres, poolOptions, config.status(), clock),
                    new DeploymentOptions().setInstances(config.instancesOf(Roles.STATUS))));
        }
        if (config.hasRole(Roles.EVENTS)) {
            deployments.add(vertx.deployVerticle(() -> new EventsVerticle(config.ops().events(), postgres, poolOptions,
                    redis, nodeId), new DeploymentOptions().setInstances(config.instancesOf(Roles.EVENTS))));
        }
        return Future.all(deployments);
    }

    /** The configured TURN URLs, or this node's TURN server over UDP and TCP. */
    private List<String> turnUrls() {
        if (!config.callsTurnUrls().isEmpty()) {
            return config.callsTurnUrls();
        }
        String base = "turn:" + turnConfig.relayHost() + ":" + turnPort();
        return List.of(base + "?transport=udp", base + "?transport=tcp");
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private String displayHost() {
        return config.httpHost().equals("0.0.0.0") ? "localhost" : config.httpHost();
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NodeStartException start) {
                throw start;
            }
            throw new NodeStartException(what + " failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new NodeStartException(what + " did not finish within " + START_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeStartException(what + " was interrupted", e);
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public String installationId() {
        return installationId;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The TURN server's UDP and TCP port, or 0 when this node has no turn role. */
    /** The REST secret this node's TURN server and calls role use (the installation's, unless configured). */
    public String turnSecret() {
        return turnConfig.secret();
    }

    public int turnPort() {
        return turn == null ? 0 : turn.port();
    }

    public Vertx vertx() {
        return vertx;
    }

    public PgConnectOptions postgres() {
        return postgres;
    }

    public RedisOptions redis() {
        return redis;
    }

    public NodeConfig config() {
        return config;
    }

    /** Devices connected to this node right now. */
    public int connectedDevices() {
        return localDevices.size();
    }

    /** Stops everything this node started: verticles and pools, then embedded stores, then the folder lock. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("Vert.x did not close cleanly: {}", e.toString());
            }
        }
        stores.close();
        if (data != null) {
            data.close();
        }
        LOG.info("node {} stopped", nodeId);
    }
}
