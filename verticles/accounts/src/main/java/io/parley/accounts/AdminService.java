package io.parley.accounts;

import io.parley.bus.Addresses;
import io.parley.bus.CloseCodes;
import io.parley.bus.DevicePusher;
import io.parley.bus.DeviceRoutes;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.AccountEvent;
import io.parley.proto.AdminDevice;
import io.parley.proto.AdminDevices;
import io.parley.proto.AdminDevicesRequest;
import io.parley.proto.AdminDisableRequest;
import io.parley.proto.AdminDisabled;
import io.parley.proto.AdminUser;
import io.parley.proto.AdminUsers;
import io.parley.proto.AdminUsersRequest;
import io.parley.proto.RelationChanged;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's requests on accounts (internal addresses behind the admin HTTP API): list
 * accounts and devices, disable an account (its devices are disconnected and can no longer
 * authenticate; other services forget what they cached about it) or enable it again.
 */
final class AdminService {
    private static final Logger LOG = LoggerFactory.getLogger(AdminService.class);
    static final int MAX_PAGE = 1_000;
    private static final int DEFAULT_PAGE = 100;

    private final AccountStore store;
    private final DevicePusher pusher;
    private final DeviceRoutes routes;
    private final EventBus bus;
    private final AccountsService accounts;

    AdminService(AccountStore store, DevicePusher pusher, DeviceRoutes routes, EventBus bus, AccountsService accounts) {
        this.store = store;
        this.pusher = pusher;
        this.routes = routes;
        this.bus = bus;
        this.accounts = accounts;
    }

    Future<AdminUsers> users(AdminUsersRequest request) {
        if (request.getLimit() > MAX_PAGE) {
            throw Failure.BAD_REQUEST.exception("limit must be at most " + MAX_PAGE);
        }
        UUID after = request.getAfterUser().isEmpty() ? null : Ids.uuid(request.getAfterUser(), "after_user");
        return store.adminAccounts(after, request.getLimit() == 0 ? DEFAULT_PAGE : request.getLimit()).map(page -> {
            AdminUsers.Builder out = AdminUsers.newBuilder();
            page.forEach(a -> out.addUsers(AdminUser.newBuilder().setUserId(Ids.bytes(a.userId()))
                    .setUsername(a.username() == null ? "" : a.username()).setPhone(a.phone() == null ? "" : a.phone())
                    .setDisabled(a.disabled()).setDevices(a.devices()).setCreatedMs(a.createdAt().toEpochMilli())));
            return out.build();
        });
    }

    Future<AdminDevices> devices(AdminDevicesRequest request) {
        return resolve(request.getUserId(), request.getUsername()).compose(userId -> store.devices(userId)
                .compose(devices -> routes.lookup(devices.stream().map(d -> DevicePusher.ref(userId, d.deviceId())).toList())
                        .map(found -> {
                            AdminDevices.Builder out = AdminDevices.newBuilder().setUserId(Ids.bytes(userId));
                            for (int i = 0; i < devices.size(); i++) {
                                AccountStore.Device d = devices.get(i);
                                out.addDevices(AdminDevice.newBuilder().setDeviceId(d.deviceId()).setName(d.name())
                                        .setCreatedMs(d.createdAt().toEpochMilli()).setConnected(found.get(i).isPresent()));
                            }
                            return out.build();
                        })));
    }

    Future<AdminDisabled> disable(AdminDisableRequest request) {
        boolean disable = !request.getEnable();
        return resolve(request.getUserId(), request.getUsername()).compose(userId -> store.setDisabled(userId, disable)
                .compose(found -> store.devices(userId))
                .compose(devices -> {
                    // Cached send checks, presence and receipt rules about this user are stale now.
                    bus.publish(Addresses.RELATION_EVENTS, RelationChanged.newBuilder().setUserId(Ids.bytes(userId))
                            .setOther(Ids.bytes(userId)).build());
                    accounts.announce(userId, disable ? AccountEvent.Kind.DISABLED : AccountEvent.Kind.ENABLED);
                    LOG.info("account {} by the operator [user: {}]", disable ? "disabled" : "enabled", userId);
                    if (!disable) {
                        return Future.succeededFuture(AdminDisabled.newBuilder().setUserId(Ids.bytes(userId)).build());
                    }
                    List<Future<Void>> evictions = devices.stream().map(d -> pusher.evict(userId, d.deviceId(),
                            CloseCodes.ACCOUNT_DISABLED, "account disabled")).toList();
                    return Future.all(evictions).map(v -> AdminDisabled.newBuilder().setUserId(Ids.bytes(userId))
                            .setDisabled(true).setDevicesDisconnected(devices.size()).build());
                }));
    }

    /** The account named by id or username; 404 when there is none. */
    private Future<UUID> resolve(com.google.protobuf.ByteString userId, String username) {
        if (!userId.isEmpty()) {
            UUID id = Ids.uuid(userId, "user_id");
            return store.accountExists(id).map(exists -> {
                if (!exists) {
                    throw Failure.NOT_FOUND.exception("no account " + id);
                }
                return id;
            });
        }
        if (username.isEmpty()) {
            throw Failure.BAD_REQUEST.exception("user_id or username is required");
        }
        return store.userIdOf(Identifiers.username(username)).map(found -> found.orElseThrow(() ->
                Failure.NOT_FOUND.exception("no account with username " + username)));
    }
}
