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
final class SafetyNumbers {
    private static final int ITERATIONS = 5200;
    private static final int VERSION = 2;
    private static final int PRIMARY = 1;

    private SafetyNumbers() {
    }

    static Future<String> of(SecureMessenger messenger, UUID self, UUID peer) {
        Future<IdentityKey> mine = primaryKey(messenger, self);
        Future<IdentityKey> theirs = primaryKey(messenger, peer);
        return Future.all(mine, theirs).compose(both -> messenger.blocking(() -> group(new NumericFingerprintGenerator(ITERATIONS)
                .createFor(VERSION, Ids.bytes(self).toByteArray(), mine.result(), Ids.bytes(peer).toByteArray(), theirs.result())
                .getDisplayableFingerprint().getDisplayText())));
    }

    private static Future<IdentityKey> primaryKey(SecureMessenger messenger, UUID user) {
        if (user.equals(messenger.self()) && messenger.selfDevice() == PRIMARY) {
            return Future.succeededFuture(messenger.store().getIdentityKeyPair().getPublicKey());
        }
        return messenger.knownIdentity(user, PRIMARY).compose(known -> known != null ? Future.succeededFuture(known)
                : messenger.keys().identities(user).map(SafetyNumbers::primaryOf));
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
