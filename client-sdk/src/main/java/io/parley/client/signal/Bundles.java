package io.parley.client.signal;

import io.parley.proto.PreKeyBundle;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.kem.KEMPublicKey;

/** Turns a bundle from the server into libsignal's, refusing malformed keys. */
final class Bundles {
    private Bundles() {
    }

    static org.signal.libsignal.protocol.state.PreKeyBundle toLibsignal(PreKeyBundle bundle) throws InvalidKeyException {
        boolean oneTime = bundle.hasPreKey();
        return new org.signal.libsignal.protocol.state.PreKeyBundle(bundle.getRegistrationId(), bundle.getDeviceId(),
                oneTime ? bundle.getPreKey().getKeyId() : org.signal.libsignal.protocol.state.PreKeyBundle.NULL_PRE_KEY_ID,
                oneTime ? new ECPublicKey(bundle.getPreKey().getPublicKey().toByteArray()) : null,
                bundle.getSignedPreKey().getKeyId(), new ECPublicKey(bundle.getSignedPreKey().getPublicKey().toByteArray()),
                bundle.getSignedPreKey().getSignature().toByteArray(), new IdentityKey(bundle.getIdentityKey().toByteArray()),
                bundle.getKyberPreKey().getKeyId(), new KEMPublicKey(bundle.getKyberPreKey().getPublicKey().toByteArray()),
                bundle.getKyberPreKey().getSignature().toByteArray());
    }
}
