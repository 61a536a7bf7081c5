package io.parley.groups;

import io.parley.bus.Addresses;
import io.parley.bus.Ids;
import io.parley.bus.Rpc;
import io.parley.proto.DeviceEvent;
import io.parley.proto.GroupDeliveries;
import io.parley.proto.Request.BodyCase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires groups and broadcast lists to their request addresses, and the outbox and retention timers. */
public final class GroupsVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(GroupsVerticle.class);

    private final PgConnectOptions postgres;
    private final PoolOptions poolOptions;
    private final GroupsConfig config;
    private final Clock clock;

    public GroupsVerticle(PgConnectOptions postgres, PoolOptions poolOptions, GroupsConfig config, Clock clock) {
        this.postgres = postgres;
        this.poolOptions = poolOptions;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        Pool pool = PgBuilder.pool().with(poolOptions).connectingTo(postgres).using(vertx).build();
        GroupStore store = new GroupStore(pool);
        MessageStore messages = new MessageStore(pool);
        AccountsLookup accounts = new AccountsLookup(vertx.eventBus());
        Notices notices = new Notices(store, accounts, vertx.eventBus(), clock, config.outboxRetry().toMillis());
        GroupChanges changes = new GroupChanges(store, notices, accounts);
        GroupsService groups = new GroupsService(store, changes, notices, accounts, config, clock);
        Invites invites = new Invites(store, changes, notices, config, clock);
        GroupSends sends = new GroupSends(store, messages, accounts, vertx.eventBus(), config, clock);
        Broadcasts broadcasts = new Broadcasts(new BroadcastStore(pool), accounts, config, clock);

        vertx.setPeriodic(config.outboxRetry().toMillis(), id -> notices.redeliverStale()
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("redelivered {} group notices from the outbox", n);
                    }
                })
                .onFailure(e -> LOG.warn("group notice redelivery failed: {}", e.getMessage())));
        vertx.setPeriodic(config.outboxRetry().toMillis() * 60, id -> messages.sweep(clock.millis()
                        - config.messageRetention().toMillis())
                .onFailure(e -> LOG.warn("group message sweep failed: {}", e.getMessage())));
        return Future.all(List.of(
                vertx.eventBus().<DeviceEvent>consumer(Addresses.DEVICE_EVENTS, m -> {
                    if (m.body().getKind() == DeviceEvent.Kind.LINKED || m.body().getKind() == DeviceEvent.Kind.REMOVED) {
                        accounts.changed(Ids.uuid(m.body().getDevice().getUserId(), "user_id"));
                    }
                }).completion(),
                vertx.eventBus().<GroupDeliveries>consumer(Addresses.GROUPS_DELIVERED, m -> sends.delivered(m.body()))
                        .completion(),
                Rpc.serve(vertx, BodyCase.CREATE_GROUP, groups::create).completion(),
                Rpc.serve(vertx, BodyCase.GET_GROUP, groups::get).completion(),
                Rpc.serve(vertx, BodyCase.LIST_GROUPS, (caller, q) -> groups.list(caller)).completion(),
                Rpc.serve(vertx, BodyCase.UPDATE_GROUP, groups::update).completion(),
                Rpc.serve(vertx, BodyCase.CHANGE_MEMBERS, groups::changeMembers).completion(),
                Rpc.serve(vertx, BodyCase.LEAVE_GROUP, groups::leave).completion(),
                Rpc.serve(vertx, BodyCase.CREATE_INVITE, invites::create).completion(),
                Rpc.serve(vertx, BodyCase.REVOKE_INVITE, invites::revoke).completion(),
                Rpc.serve(vertx, BodyCase.JOIN_GROUP, invites::join).completion(),
                Rpc.serve(vertx, BodyCase.RESOLVE_JOIN, invites::resolve).completion(),
                Rpc.serve(vertx, BodyCase.GROUP_SEND, sends::send).completion(),
                Rpc.serve(vertx, BodyCase.GROUP_RECEIPT, sends::receipt).completion(),
                Rpc.serve(vertx, BodyCase.MESSAGE_INFO, sends::info).completion(),
                Rpc.serve(vertx, BodyCase.CREATE_BROADCAST_LIST, broadcasts::create).completion(),
                Rpc.serve(vertx, BodyCase.ADD_BROADCAST_RECIPIENTS, broadcasts::add).completion(),
                Rpc.serve(vertx, BodyCase.LIST_BROADCAST_LISTS, (caller, q) -> broadcasts.list(caller)).completion(),
                Rpc.serve(vertx, BodyCase.BROADCAST_TARGETS, broadcasts::targets).completion()));
    }
}
