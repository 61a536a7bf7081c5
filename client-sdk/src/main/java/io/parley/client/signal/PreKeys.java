package io.parley.client.signal;

import com.google.protobuf.ByteString;
import io.parley.proto.EcPreKey;
import io.parley.proto.SignedPreKey;
import io.parley.proto.UploadKeysRequest;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/**
 * Makes the keys a device publishes, keeps their private halves in the store and returns the
 * upload: on first publication the identity, a signed EC prekey and a last-resort Kyber key, and
 * each time a batch of one-time EC and Kyber keys. Blocking (key generation and files).
 */
final class PreKeys {
    private PreKeys() {
    }

    /** Everything a new device publishes: identity, signed prekey, last resort and a batch of one-time keys. */
    static UploadKeysRequest first(FileSignalStore store, int batch, boolean replaceIdentity) {
        IdentityKeyPair identity = store.getIdentityKeyPair();
        long now = System.currentTimeMillis();
        int signedId = store.nextId("nextSignedId", 1);
        ECKeyPair signed = ECKeyPair.generate();
        byte[] signedSignature = identity.getPrivateKey().calculateSignature(signed.getPublicKey().serialize());
        store.storeSignedPreKey(signedId, new SignedPreKeyRecord(signedId, now, signed, signedSignature));

        int lastResortId = store.nextId("nextKyberId", 1);
        KEMKeyPair lastResort = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
        byte[] lastResortSignature = identity.getPrivateKey().calculateSignature(lastResort.getPublicKey().serialize());
        store.markLastResort(lastResortId);
        store.storeKyberPreKey(lastResortId, new KyberPreKeyRecord(lastResortId, now, lastResort, lastResortSignature));

        return oneTime(store, batch).setIdentityKey(ByteString.copyFrom(identity.getPublicKey().serialize()))
                .setRegistrationId(store.getLocalRegistrationId())
                .setSignedPreKey(signed(signedId, signed.getPublicKey().serialize(), signedSignature))
                .setLastResortKyberPreKey(signed(lastResortId, lastResort.getPublicKey().serialize(), lastResortSignature))
                .setReplaceIdentity(replaceIdentity)
                .build();
    }

    /** A batch of new one-time EC and Kyber keys. */
    static UploadKeysRequest.Builder oneTime(FileSignalStore store, int batch) {
        IdentityKeyPair identity = store.getIdentityKeyPair();
        long now = System.currentTimeMillis();
        UploadKeysRequest.Builder upload = UploadKeysRequest.newBuilder();
        int firstEc = store.nextId("nextPreKeyId", batch);
        int firstKyber = store.nextId("nextKyberId", batch);
        for (int i = 0; i < batch; i++) {
            int ecId = wrap(firstEc + i);
            ECKeyPair ec = ECKeyPair.generate();
            store.storePreKey(ecId, new PreKeyRecord(ecId, ec));
            upload.addPreKeys(EcPreKey.newBuilder().setKeyId(ecId).setPublicKey(ByteString.copyFrom(ec.getPublicKey().serialize())));

            int kyberId = wrap(firstKyber + i);
            KEMKeyPair kyber = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
            byte[] signature = identity.getPrivateKey().calculateSignature(kyber.getPublicKey().serialize());
            store.storeKyberPreKey(kyberId, new KyberPreKeyRecord(kyberId, now, kyber, signature));
            upload.addKyberPreKeys(signed(kyberId, kyber.getPublicKey().serialize(), signature));
        }
        return upload;
    }

    private static int wrap(int id) {
        return id > 0xFFFFFF ? id - 0xFFFFFF : id;
    }

    private static SignedPreKey signed(int id, byte[] publicKey, byte[] signature) {
        return SignedPreKey.newBuilder().setKeyId(id).setPublicKey(ByteString.copyFrom(publicKey))
                .setSignature(ByteString.copyFrom(signature)).build();
    }
}
