package io.parley.keys;

import com.google.protobuf.ByteString;
import io.parley.bus.Addresses;
import io.parley.bus.Caller;
import io.parley.bus.DevicePusher;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.DeviceIdentity;
import io.parley.proto.GetBundlesRequest;
import io.parley.proto.GetIdentityKeysRequest;
import io.parley.proto.IdentityKeys;
import io.parley.proto.KeyCounts;
import io.parley.proto.KeyCountsRequest;
import io.parley.proto.KeysLow;
import io.parley.proto.PreKeyBundle;
import io.parley.proto.PreKeyBundles;
import io.parley.proto.Push;
import io.parley.proto.SendCheck;
import io.parley.proto.SendCheckRequest;
import io.parley.proto.UploadKeysRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signal key material per device: uploads (signatures verified before anything is stored, the
 * identity fixed from the first upload), bundle fetches that hand out each one-time key once and
 * fall back to the last-resort Kyber key, key counts and low-key pushes, identity keys for safety
 * numbers. Who may fetch: any authenticated user the target has not blocked (403 otherwise).
 */
final class KeysService {
    private static final Logger LOG = LoggerFactory.getLogger(KeysService.class);

    private final Vertx vertx;
    private final KeyStore store;
    private final DevicePusher pusher;
    private final KeysConfig config;

    KeysService(Vertx vertx, KeyStore store, DevicePusher pusher, KeysConfig config) {
        this.vertx = vertx;
        this.store = store;
        this.pusher = pusher;
        this.config = config;
    }

    Future<KeyCounts> upload(Caller caller, UploadKeysRequest request) {
        KeyValidation.checkShape(request, config.maxPerUpload());
        if (request.getReplaceIdentity() && !caller.isPrimary()) {
            throw Failure.FORBIDDEN.exception("only the primary device may re-register its identity key");
        }
        return store.pool().withTransaction(tx -> store.lockDevice(tx, caller.userId(), caller.deviceId())
                .compose(existing -> {
                    Optional<KeyStore.DeviceKeys> current = request.getReplaceIdentity() ? Optional.empty() : existing;
                    ByteString identity = identityFor(request, current);
                    Future<Void> cleared = request.getReplaceIdentity() && existing.isPresent()
                            ? store.deleteDevice(tx, caller.userId(), caller.deviceId()) : Future.succeededFuture();
                    return vertx.executeBlocking(() -> {
                                KeyValidation.verify(identity, request);
                                return null;
                            }, false)
                            .compose(v -> cleared)
                            .compose(v -> current.isPresent()
                                    ? store.updateDevice(tx, caller.userId(), caller.deviceId(), request.getRegistrationId(),
                                            request.hasSignedPreKey() ? request.getSignedPreKey() : null,
                                            request.hasLastResortKyberPreKey() ? request.getLastResortKyberPreKey() : null)
                                    : store.insertDevice(tx, caller.userId(), caller.deviceId(), request.getRegistrationId(),
                                            identity, request.getSignedPreKey(), request.getLastResortKyberPreKey()))
                            .compose(v -> store.addKeys(tx, caller.userId(), caller.deviceId(), request.getPreKeysList(),
                                    request.getKyberPreKeysList()))
                            .compose(v -> store.counts(tx, caller.userId(), caller.deviceId()))
                            .map(counts -> {
                                if (counts.ec() > config.maxStoredPerDevice() || counts.kyber() > config.maxStoredPerDevice()) {
                                    throw Failure.CONFLICT.exception("a device may hold at most " + config.maxStoredPerDevice()
                                            + " one-time keys of each kind: upload fewer");
                                }
                                return keyCounts(counts, true);
                            });
                }));
    }

    /** The identity the upload's signatures must verify against; checks the rules of the first upload. */
    private static ByteString identityFor(UploadKeysRequest request, Optional<KeyStore.DeviceKeys> current) {
        if (current.isEmpty()) {
            if (request.getIdentityKey().isEmpty() || !request.hasSignedPreKey() || !request.hasLastResortKyberPreKey()
                    || request.getRegistrationId() == 0) {
                throw Failure.BAD_REQUEST.exception("the first upload of a device needs identity_key, registration_id, "
                        + "signed_pre_key and last_resort_kyber_pre_key");
            }
            return request.getIdentityKey();
        }
        ByteString stored = current.get().identityKey();
        if (!request.getIdentityKey().isEmpty() && !request.getIdentityKey().equals(stored)) {
            throw Failure.CONFLICT.exception("this device's identity key is fixed; re-register it with replace_identity "
                    + "(primary device only)");
        }
        return stored;
    }

    Future<KeyCounts> counts(Caller caller, KeyCountsRequest request) {
        return store.devices(caller.userId(), List.of(caller.deviceId())).compose(found -> store
                .counts(store.pool(), caller.userId(), caller.deviceId())
                .map(counts -> keyCounts(counts, !found.isEmpty())));
    }

    Future<PreKeyBundles> bundles(Caller caller, GetBundlesRequest request) {
        UUID target = Ids.uuid(request.getUserId(), "user_id");
        if (request.getDeviceIdsCount() > 16) {
            throw Failure.TOO_LARGE.exception("ask for at most 16 devices at once");
        }
        return allowedDevices(caller, target, request.getDeviceIdsList()).compose(devices -> store.devices(target, devices))
                .compose(keys -> {
                    if (keys.isEmpty()) {
                        return Future.failedFuture(Failure.NOT_FOUND.exception(request.getDeviceIdsCount() == 0
                                ? "this user has no device with published keys" : "no such device with published keys"));
                    }
                    List<Integer> ids = keys.stream().map(KeyStore.DeviceKeys::deviceId).toList();
                    return store.claimEc(target, ids).compose(ec -> store.claimKyber(target, ids)
                            .map(kyber -> bundles(request.getUserId(), keys, ec, kyber)))
                            .onSuccess(b -> warnIfLow(target, ids));
                });
    }

    Future<IdentityKeys> identities(Caller caller, GetIdentityKeysRequest request) {
        UUID target = Ids.uuid(request.getUserId(), "user_id");
        return allowedDevices(caller, target, List.of()).compose(devices -> store.devices(target, devices))
                .map(keys -> {
                    IdentityKeys.Builder answer = IdentityKeys.newBuilder().setUserId(request.getUserId());
                    keys.forEach(k -> answer.addDevices(DeviceIdentity.newBuilder().setDeviceId(k.deviceId())
                            .setIdentityKey(k.identityKey())));
                    return answer.build();
                });
    }

    /** Forgets a removed device's keys: nobody may start a session with it any more. */
    Future<Void> deviceRemoved(UUID user, int device) {
        return store.deleteDevice(store.pool(), user, device);
    }

    /** The target's current devices among those asked for (all when none): 404 unknown user, 403 blocked. */
    private Future<List<Integer>> allowedDevices(Caller caller, UUID target, List<Integer> asked) {
        return vertx.eventBus().<SendCheck>request(Addresses.ACCOUNTS_SEND_CHECK, SendCheckRequest.newBuilder()
                        .setFrom(Ids.bytes(caller.userId())).setTo(Ids.bytes(target)).build(),
                        new DeliveryOptions().setSendTimeout(config.accountsTimeoutMs()))
                .map(reply -> {
                    SendCheck check = reply.body();
                    if (!check.getExists()) {
                        throw Failure.NOT_FOUND.exception("no such user");
                    }
                    if (check.getBlocked()) {
                        throw Failure.FORBIDDEN.exception("this user does not accept messages from you");
                    }
                    List<Integer> current = check.getToDevicesList();
                    return asked.isEmpty() ? current : asked.stream().filter(current::contains).distinct().toList();
                });
    }

    private static PreKeyBundles bundles(ByteString user, List<KeyStore.DeviceKeys> keys,
            Map<Integer, io.parley.proto.EcPreKey> ec, Map<Integer, io.parley.proto.SignedPreKey> kyber) {
        PreKeyBundles.Builder answer = PreKeyBundles.newBuilder().setUserId(user);
        for (KeyStore.DeviceKeys device : keys) {
            PreKeyBundle.Builder bundle = PreKeyBundle.newBuilder().setDeviceId(device.deviceId())
                    .setRegistrationId(device.registrationId()).setIdentityKey(device.identityKey())
                    .setSignedPreKey(device.signedPreKey());
            if (ec.containsKey(device.deviceId())) {
                bundle.setPreKey(ec.get(device.deviceId()));
            }
            if (kyber.containsKey(device.deviceId())) {
                bundle.setKyberPreKey(kyber.get(device.deviceId()));
            } else {
                bundle.setKyberPreKey(device.lastResort()).setKyberLastResort(true);
            }
            answer.addBundles(bundle);
        }
        return answer.build();
    }

    private void warnIfLow(UUID user, List<Integer> devices) {
        store.counts(store.pool(), user, devices).onSuccess(counts -> counts.forEach((device, left) -> {
            if (left.ec() < config.lowWatermark() || left.kyber() < config.lowWatermark()) {
                pusher.push(List.of(DevicePusher.ref(user, device)), Push.newBuilder().setKeysLow(KeysLow.newBuilder()
                        .setPreKeys(left.ec()).setKyberPreKeys(left.kyber())).build());
            }
        })).onFailure(e -> LOG.warn("one-time key count failed [user: {}]: {}", user, e.getMessage()));
    }

    private KeyCounts keyCounts(KeyStore.Counts counts, boolean registered) {
        return KeyCounts.newBuilder().setPreKeys(counts.ec()).setKyberPreKeys(counts.kyber())
                .setLowWatermark(config.lowWatermark()).setRegistered(registered).build();
    }
}
