package io.parley.client.signal;

import io.parley.bus.Ids;
import io.parley.proto.DeviceIdentity;
import io.parley.proto.IdentityKeys;
import io.vertx.core.Future;
import java.util.UUID;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.fingerprint.NumericFingerprintGenerator;

/**
 * Safety numbers (libsignal's NumericFingerprintGenerator, version 2 over user UUIDs, 5,200
 * iterations as Signal uses): 60 digits that two users compare to rule out a key swapped in the
 * middle. Each account is represented by its primary device's identity key; a key this device
 * has already seen in a session is preferred over what the server answers.
 */
public final class SafetyNumbers {
    private static final int ITERATIONS = 5200;
    private static final int VERSION = 2;
    private static final int PRIMARY = 1;

    private SafetyNumbers() {
    }

    /** The safety number of this client's user with {@code peer}, from the Signal state in {@code stateFolder}. */
    public static Future<String> of(io.parley.client.ParleyClient connected, java.nio.file.Path stateFolder, UUID peer) {
        FileSignalStore store = FileSignalStore.open(stateFolder.resolve("signal"));
        return of(connected, store, new KeysApi(connected), peer);
    }

    static Future<String> of(io.parley.client.ParleyClient client, FileSignalStore store, KeysApi keys, UUID peer) {
        UUID self = Ids.uuid(client.credentials().getUserId(), "user_id");
        Future<IdentityKey> mine = self.equals(peer) || client.credentials().getDeviceId() != PRIMARY
                ? primaryKey(client, store, keys, self)
                : Future.succeededFuture(store.getIdentityKeyPair().getPublicKey());
        Future<IdentityKey> theirs = primaryKey(client, store, keys, peer);
        return Future.all(mine, theirs).compose(both -> client.vertx().executeBlocking(() ->
                displayed(self, mine.result(), peer, theirs.result())));
    }

    /** The safety number of two users' identity keys, as shown (blocking: 2 × 5,200 SHA-512 rounds). */
    public static String displayed(UUID self, IdentityKey mine, UUID peer, IdentityKey theirs) {
        return group(new NumericFingerprintGenerator(ITERATIONS).createFor(VERSION, Ids.bytes(self).toByteArray(), mine,
                Ids.bytes(peer).toByteArray(), theirs).getDisplayableFingerprint().getDisplayText());
    }

    /** The key this device has seen in a session with the user's primary, else what the server answers. */
    private static Future<IdentityKey> primaryKey(io.parley.client.ParleyClient client, FileSignalStore store, KeysApi keys,
            UUID user) {
        return client.vertx().executeBlocking(() -> store.getIdentity(SecureMessenger.address(user, PRIMARY)))
                .compose(known -> known != null ? Future.succeededFuture(known) : keys.identities(user).map(SafetyNumbers::primaryOf));
    }

    private static IdentityKey primaryOf(IdentityKeys keys) {
        for (DeviceIdentity device : keys.getDevicesList()) {
            if (device.getDeviceId() == PRIMARY) {
                try {
                    return new IdentityKey(device.getIdentityKey().toByteArray());
                } catch (InvalidKeyException e) {
                    throw new IllegalStateException("the server sent a malformed identity key", e);
                }
            }
        }
        throw new io.parley.client.ParleyException(404, "this user's primary device has published no identity key");
    }

    /** 60 digits as twelve groups of five. */
    static String group(String digits) {
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 5) {
            if (i > 0) {
                grouped.append(' ');
            }
            grouped.append(digits, i, Math.min(digits.length(), i + 5));
        }
        return grouped.toString();
    }
}
