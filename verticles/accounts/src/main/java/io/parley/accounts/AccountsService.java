package io.parley.accounts;

import io.parley.bus.Addresses;
import io.parley.bus.Caller;
import io.parley.bus.CloseCodes;
import io.parley.bus.DevicePusher;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.Account;
import io.parley.proto.AccountEvent;
import io.parley.proto.Authenticate;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.DeviceEvent;
import io.parley.proto.DeviceInfo;
import io.parley.proto.DeviceList;
import io.parley.proto.DeviceRef;
import io.parley.proto.LinkCode;
import io.parley.proto.LinkDeviceRequest;
import io.parley.proto.Ok;
import io.parley.proto.Push;
import io.parley.proto.RegisterRequest;
import io.parley.proto.RemoveDeviceRequest;
import io.parley.proto.RequestCodeRequest;
import io.parley.proto.RequestCodeResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Registration, device credentials and device linking. Contacts, profiles, blocking and privacy
 * are in {@link PeopleService}.
 */
final class AccountsService {
    private static final Ok OK = Ok.getDefaultInstance();

    private final Vertx vertx;
    private final AccountStore store;
    private final AccountsConfig config;
    private final VerificationSender sender;
    private final DevicePusher pusher;
    private final Clock clock;

    AccountsService(Vertx vertx, AccountStore store, AccountsConfig config, VerificationSender sender,
            DevicePusher pusher, Clock clock) {
        this.vertx = vertx;
        this.store = store;
        this.config = config;
        this.sender = sender;
        this.pusher = pusher;
        this.clock = clock;
    }

    Future<RequestCodeResponse> requestCode(RequestCodeRequest request) {
        String identifier = identifier(request.getUsername(), request.getPhone(), request.getIdentifierCase().getNumber());
        String code = Secrets.verificationCode();
        Instant expires = clock.instant().plus(config.codeTtl());
        return store.saveCode(identifier, Secrets.hash(identifier + ":" + code), expires)
                .compose(v -> sender.send(identifier, code))
                .map(v -> RequestCodeResponse.newBuilder().setExpiresMs(expires.toEpochMilli()).build());
    }

    Future<DeviceCredentials> register(RegisterRequest request) {
        boolean byUsername = request.getIdentifierCase() == RegisterRequest.IdentifierCase.USERNAME;
        String identifier = identifier(request.getUsername(), request.getPhone(), request.getIdentifierCase().getNumber());
        String deviceName = Identifiers.deviceName(request.getDeviceName());
        if (request.getCode().isEmpty()) {
            throw Failure.BAD_REQUEST.exception("code is required: request one with POST /v1/accounts/code");
        }
        UUID userId = UUID.randomUUID();
        String secret = Secrets.deviceSecret();
        byte[] salt = Secrets.salt();
        // The transaction commits whatever the check says, so a wrong code's attempt stays counted.
        return store.pool().withTransaction(tx -> store.consumeCode(tx, identifier,
                        Secrets.hash(identifier + ":" + request.getCode()), config.maxCodeAttempts(), clock.instant())
                .compose(check -> check != AccountStore.CodeCheck.OK ? Future.succeededFuture(check)
                        : store.createAccount(tx, userId, byUsername ? identifier : null,
                                        byUsername ? null : identifier, byUsername ? null : phoneHash(identifier))
                                .compose(v -> store.insertDevice(tx, userId, Caller.PRIMARY_DEVICE, deviceName, salt,
                                        Secrets.hash(salt, secret)))
                                .map(check)))
                .map(check -> switch (check) {
                    case OK -> {
                        announce(userId, AccountEvent.Kind.REGISTERED);
                        yield credentials(userId, Caller.PRIMARY_DEVICE, secret);
                    }
                    case WRONG -> throw Failure.UNAUTHORIZED.exception("wrong verification code");
                    case EXPIRED -> throw Failure.GONE.exception("verification code has expired");
                    case NONE -> throw Failure.NOT_FOUND.exception("no verification code was requested for " + identifier);
                    case TOO_MANY_ATTEMPTS -> throw Failure.RATE_LIMITED.exception("too many wrong codes: request a new one");
                });
    }

    Future<Ok> authenticate(Authenticate request) {
        UUID userId = Ids.uuid(request.getUserId(), "user_id");
        return store.credential(userId, request.getDeviceId()).map(stored -> {
            if (stored.isEmpty() || !Secrets.matches(stored.get().salt(), stored.get().hash(), request.getPassword())) {
                throw Failure.UNAUTHORIZED.exception("unknown device or wrong credential");
            }
            // Told only to a caller holding the device's credential.
            if (stored.get().disabled()) {
                throw Failure.FORBIDDEN.exception("this account is disabled by the operator");
            }
            return OK;
        });
    }

    Future<LinkCode> createLinkCode(Caller caller) {
        if (!caller.isPrimary()) {
            throw Failure.FORBIDDEN.exception("only the primary device can link new devices");
        }
        String code = Secrets.linkCode();
        Instant expires = clock.instant().plus(config.linkCodeTtl());
        return store.saveLinkCode(Secrets.hash(code), caller.userId(), expires)
                .map(v -> LinkCode.newBuilder().setCode(code).setExpiresMs(expires.toEpochMilli()).build());
    }

    Future<DeviceCredentials> link(LinkDeviceRequest request) {
        if (request.getCode().isEmpty()) {
            throw Failure.BAD_REQUEST.exception("code is required");
        }
        String name = Identifiers.deviceName(request.getDeviceName());
        String secret = Secrets.deviceSecret();
        byte[] salt = Secrets.salt();
        return store.pool().withTransaction(tx -> store.redeemLinkCode(tx, Secrets.hash(request.getCode()), clock.instant())
                        .compose(userId -> store.reserveLinkedDevice(tx, userId).compose(counts -> {
                            if (counts[0] >= config.maxLinkedDevices()) {
                                return Future.failedFuture(Failure.CONFLICT.exception("this account has "
                                        + config.maxLinkedDevices() + " linked devices already: remove one first"));
                            }
                            return store.insertDevice(tx, userId, counts[1], name, salt, Secrets.hash(salt, secret))
                                    .map(v -> credentials(userId, counts[1], secret));
                        })))
                .onSuccess(c -> announce(Ids.uuid(c.getUserId(), "user_id"), c.getDeviceId(), DeviceEvent.Kind.LINKED));
    }

    Future<Account> whoami(Caller caller) {
        return store.account(caller.userId()).map(found -> found.map(a -> Account.newBuilder()
                        .setUserId(Ids.bytes(a.userId())).setUsername(a.username()).setPhone(a.phone())
                        .setDeviceId(caller.deviceId()).setProfile(a.profile()).setCreatedMs(a.createdAt().toEpochMilli())
                        .build())
                .orElseThrow(() -> Failure.UNAUTHORIZED.exception("account no longer exists")));
    }

    Future<DeviceList> listDevices(Caller caller) {
        return store.devices(caller.userId()).map(AccountsService::deviceList);
    }

    Future<Ok> removeDevice(Caller caller, RemoveDeviceRequest request) {
        int target = request.getDeviceId();
        if (target == Caller.PRIMARY_DEVICE) {
            throw Failure.FORBIDDEN.exception("the primary device cannot be removed");
        }
        if (!caller.isPrimary() && target != caller.deviceId()) {
            throw Failure.FORBIDDEN.exception("a linked device may remove only itself");
        }
        return store.deleteDevice(caller.userId(), target).map(removed -> {
            if (!removed) {
                throw Failure.NOT_FOUND.exception("no device " + target);
            }
            pusher.evict(caller.userId(), target, CloseCodes.DEVICE_REMOVED, "device removed");
            announce(caller.userId(), target, DeviceEvent.Kind.REMOVED);
            return OK;
        });
    }

    /** Tells the bus, and every remaining device of the account, that its device list changed. */
    private void announce(UUID userId, int deviceId, DeviceEvent.Kind kind) {
        DeviceRef device = DevicePusher.ref(userId, deviceId);
        vertx.eventBus().publish(Addresses.DEVICE_EVENTS, DeviceEvent.newBuilder().setDevice(device).setKind(kind)
                .setAtMs(clock.millis()).build());
        store.devices(userId).onSuccess(devices -> pusher.push(
                devices.stream().map(d -> DevicePusher.ref(userId, d.deviceId())).toList(),
                Push.newBuilder().setDevicesChanged(deviceList(devices)).build()));
    }

    /** Tells the events verticle, fire-and-forget, that an account was created, disabled or enabled. */
    void announce(UUID userId, AccountEvent.Kind kind) {
        vertx.eventBus().send(Addresses.EVENTS_ACCOUNT, AccountEvent.newBuilder().setUserId(Ids.bytes(userId))
                .setKind(kind).setAtMs(clock.millis()).build());
    }

    Future<Integer> deleteExpiredCodes() {
        return store.deleteExpiredCodes(clock.instant());
    }

    private static DeviceList deviceList(List<AccountStore.Device> devices) {
        DeviceList.Builder list = DeviceList.newBuilder();
        devices.forEach(d -> list.addDevices(DeviceInfo.newBuilder().setDeviceId(d.deviceId()).setName(d.name())
                .setPrimary(d.deviceId() == Caller.PRIMARY_DEVICE).setCreatedMs(d.createdAt().toEpochMilli())));
        return list.build();
    }

    private static DeviceCredentials credentials(UUID userId, int deviceId, String secret) {
        return DeviceCredentials.newBuilder().setUserId(Ids.bytes(userId)).setDeviceId(deviceId).setPassword(secret).build();
    }

    /** The normalized identifier of a request: field 1 a username, field 2 a phone number. */
    private static String identifier(String username, String phone, int which) {
        return switch (which) {
            case 1 -> Identifiers.username(username);
            case 2 -> Identifiers.phone(phone);
            default -> throw Failure.BAD_REQUEST.exception("username or phone is required");
        };
    }

    static byte[] phoneHash(String phone) {
        return Secrets.hash(phone);
    }
}
