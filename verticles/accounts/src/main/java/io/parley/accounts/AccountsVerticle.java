package io.parley.accounts;

import io.parley.bus.Addresses;
import io.parley.bus.DevicePusher;
import io.parley.bus.DeviceRoutes;
import io.parley.bus.Rpc;
import io.parley.proto.Request.BodyCase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the accounts services to their bus addresses and runs the expired-code sweep. */
public final class AccountsVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(AccountsVerticle.class);
    private static final long SWEEP_INTERVAL_MS = 60_000;

    private final PgConnectOptions postgres;
    private final PoolOptions poolOptions;
    private final RedisOptions redisOptions;
    private final AccountsConfig config;
    private final Function<io.vertx.core.Vertx, VerificationSender> senderFactory;
    private final Clock clock;

    public AccountsVerticle(PgConnectOptions postgres, PoolOptions poolOptions, RedisOptions redisOptions,
            AccountsConfig config, Function<io.vertx.core.Vertx, VerificationSender> senderFactory, Clock clock) {
        this.postgres = postgres;
        this.poolOptions = poolOptions;
        this.redisOptions = redisOptions;
        this.config = config;
        this.senderFactory = senderFactory;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        Pool pool = PgBuilder.pool().with(poolOptions).connectingTo(postgres).using(vertx).build();
        Redis redis = Redis.createClient(vertx, redisOptions);
        AccountStore store = new AccountStore(pool);
        AccountsService accounts = new AccountsService(vertx, store, config, senderFactory.apply(vertx),
                new DevicePusher(vertx, new DeviceRoutes(redis)), clock);
        PeopleService people = new PeopleService(store, vertx.eventBus());
        Backups backups = new Backups(pool, config.backupMaxBytes());
        AdminService admin = new AdminService(store, new DevicePusher(vertx, new DeviceRoutes(redis)), new DeviceRoutes(redis),
                vertx.eventBus(), accounts);

        vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> accounts.deleteExpiredCodes()
                .onFailure(e -> LOG.warn("expired code sweep failed: {}", e.getMessage())));
        return Future.all(List.of(
                Rpc.serveInternal(vertx, Addresses.ACCOUNTS_REQUEST_CODE, accounts::requestCode).completion(),
                Rpc.serveInternal(vertx, Addresses.ACCOUNTS_REGISTER, accounts::register).completion(),
                Rpc.serveInternal(vertx, Addresses.ACCOUNTS_LINK, accounts::link).completion(),
                Rpc.serveInternal(vertx, Addresses.ACCOUNTS_AUTHENTICATE, accounts::authenticate).completion(),
                Rpc.serveInternal(vertx, Addresses.ACCOUNTS_DEVICE_SETS, people::deviceSets).completion(),
                Rpc.serveInternal(vertx, Addresses.ACCOUNTS_RELATION, people::relation).completion(),
                Rpc.serveInternal(vertx, Addresses.ACCOUNTS_SEND_CHECK, people::sendCheck).completion(),
                Rpc.serveInternal(vertx, Addresses.ADMIN_USERS, admin::users).completion(),
                Rpc.serveInternal(vertx, Addresses.ACCOUNTS_BACKUP_PUT, backups::put).completion(),
                Rpc.serveInternal(vertx, Addresses.ACCOUNTS_BACKUP_GET, backups::get).completion(),
                Rpc.serveInternal(vertx, Addresses.ADMIN_DEVICES, admin::devices).completion(),
                Rpc.serveInternal(vertx, Addresses.ADMIN_DISABLE, admin::disable).completion(),
                Rpc.serve(vertx, BodyCase.WHOAMI, (caller, q) -> accounts.whoami(caller)).completion(),
                Rpc.serve(vertx, BodyCase.LIST_DEVICES, (caller, q) -> accounts.listDevices(caller)).completion(),
                Rpc.serve(vertx, BodyCase.REMOVE_DEVICE, accounts::removeDevice).completion(),
                Rpc.serve(vertx, BodyCase.CREATE_LINK_CODE, (caller, q) -> accounts.createLinkCode(caller)).completion(),
                Rpc.serve(vertx, BodyCase.ADD_CONTACT, people::addContact).completion(),
                Rpc.serve(vertx, BodyCase.REMOVE_CONTACT, people::removeContact).completion(),
                Rpc.serve(vertx, BodyCase.LIST_CONTACTS, (caller, q) -> people.listContacts(caller)).completion(),
                Rpc.serve(vertx, BodyCase.DISCOVER_CONTACTS, (caller, q) -> people.discover(
                        (io.parley.proto.DiscoverContactsRequest) q)).completion(),
                Rpc.serve(vertx, BodyCase.SET_PROFILE, people::setProfile).completion(),
                Rpc.serve(vertx, BodyCase.GET_PROFILE, (caller, q) -> people.getProfile(
                        (io.parley.proto.GetProfileRequest) q)).completion(),
                Rpc.serve(vertx, BodyCase.RESOLVE_USER, (caller, q) -> people.resolve(
                        (io.parley.proto.ResolveUserRequest) q)).completion(),
                Rpc.serve(vertx, BodyCase.BLOCK, people::block).completion(),
                Rpc.serve(vertx, BodyCase.UNBLOCK, people::unblock).completion(),
                Rpc.serve(vertx, BodyCase.LIST_BLOCKED, (caller, q) -> people.listBlocked(caller)).completion(),
                Rpc.serve(vertx, BodyCase.SET_PRIVACY, people::setPrivacy).completion(),
                Rpc.serve(vertx, BodyCase.GET_PRIVACY, (caller, q) -> people.getPrivacy(caller)).completion()));
    }
}
