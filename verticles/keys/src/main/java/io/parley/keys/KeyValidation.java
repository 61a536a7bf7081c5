package io.parley.keys;

import com.google.protobuf.ByteString;
import io.parley.bus.Failure;
import io.parley.proto.EcPreKey;
import io.parley.proto.SignedPreKey;
import io.parley.proto.UploadKeysRequest;
import java.util.HashSet;
import java.util.Set;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.kem.KEMPublicKey;

/**
 * Checks an upload before anything is stored: shapes and sizes (cheap, on the event loop) and
 * then key encodings and identity signatures (libsignal's native XEdDSA, run by the caller in
 * executeBlocking). Every refusal is a 400 or 413 naming the key.
 */
final class KeyValidation {
    static final int EC_KEY_BYTES = 33;
    static final int KYBER_KEY_BYTES = 1569;
    static final int SIGNATURE_BYTES = 64;
    static final int MAX_KEY_ID = 0xFFFFFF;
    static final int MAX_REGISTRATION_ID = 0x3FFF;

    private KeyValidation() {
    }

    /** Sizes, counts, ids: everything that needs no cryptography. */
    static void checkShape(UploadKeysRequest request, int maxPerUpload) {
        if (request.getPreKeysCount() > maxPerUpload || request.getKyberPreKeysCount() > maxPerUpload) {
            throw Failure.TOO_LARGE.exception("at most " + maxPerUpload + " one-time keys of each kind per upload");
        }
        if (!request.getIdentityKey().isEmpty() && request.getIdentityKey().size() != EC_KEY_BYTES) {
            throw Failure.BAD_REQUEST.exception("identity_key must be " + EC_KEY_BYTES + " bytes");
        }
        if (request.getRegistrationId() > MAX_REGISTRATION_ID) {
            throw Failure.BAD_REQUEST.exception("registration_id must be 1.." + MAX_REGISTRATION_ID);
        }
        if (request.hasSignedPreKey()) {
            checkSigned(request.getSignedPreKey(), EC_KEY_BYTES, "signed_pre_key");
        }
        if (request.hasLastResortKyberPreKey()) {
            checkSigned(request.getLastResortKyberPreKey(), KYBER_KEY_BYTES, "last_resort_kyber_pre_key");
        }
        Set<Integer> ids = new HashSet<>();
        for (EcPreKey key : request.getPreKeysList()) {
            checkId(key.getKeyId(), "pre_keys");
            checkLength(key.getPublicKey(), EC_KEY_BYTES, "pre_keys[" + key.getKeyId() + "].public_key");
            if (!ids.add(key.getKeyId())) {
                throw Failure.BAD_REQUEST.exception("pre_keys names key id " + key.getKeyId() + " twice");
            }
        }
        ids.clear();
        for (SignedPreKey key : request.getKyberPreKeysList()) {
            checkSigned(key, KYBER_KEY_BYTES, "kyber_pre_keys[" + key.getKeyId() + "]");
            if (!ids.add(key.getKeyId())) {
                throw Failure.BAD_REQUEST.exception("kyber_pre_keys names key id " + key.getKeyId() + " twice");
            }
        }
    }

    /**
     * Parses the keys and verifies every signature against the identity key. Native code: call
     * it off the event loop.
     */
    static void verify(ByteString identityKey, UploadKeysRequest request) {
        ECPublicKey identity = ecKey(identityKey, "identity_key");
        if (request.hasSignedPreKey()) {
            ecKey(request.getSignedPreKey().getPublicKey(), "signed_pre_key");
            verifySignature(identity, request.getSignedPreKey(), "signed_pre_key");
        }
        for (EcPreKey key : request.getPreKeysList()) {
            ecKey(key.getPublicKey(), "pre_keys[" + key.getKeyId() + "]");
        }
        if (request.hasLastResortKyberPreKey()) {
            kyberKey(request.getLastResortKyberPreKey().getPublicKey(), "last_resort_kyber_pre_key");
            verifySignature(identity, request.getLastResortKyberPreKey(), "last_resort_kyber_pre_key");
        }
        for (SignedPreKey key : request.getKyberPreKeysList()) {
            String name = "kyber_pre_keys[" + key.getKeyId() + "]";
            kyberKey(key.getPublicKey(), name);
            verifySignature(identity, key, name);
        }
    }

    private static void verifySignature(ECPublicKey identity, SignedPreKey key, String name) {
        if (!identity.verifySignature(key.getPublicKey().toByteArray(), key.getSignature().toByteArray())) {
            throw Failure.BAD_REQUEST.exception(name + " has a signature that the identity key did not make");
        }
    }

    private static ECPublicKey ecKey(ByteString bytes, String name) {
        try {
            return new ECPublicKey(bytes.toByteArray());
        } catch (InvalidKeyException | RuntimeException e) {
            throw Failure.BAD_REQUEST.exception(name + " is not a valid EC public key");
        }
    }

    private static void kyberKey(ByteString bytes, String name) {
        try {
            new KEMPublicKey(bytes.toByteArray());
        } catch (InvalidKeyException | RuntimeException e) {
            throw Failure.BAD_REQUEST.exception(name + " is not a valid Kyber1024 public key");
        }
    }

    private static void checkSigned(SignedPreKey key, int keyBytes, String name) {
        checkId(key.getKeyId(), name);
        checkLength(key.getPublicKey(), keyBytes, name + ".public_key");
        checkLength(key.getSignature(), SIGNATURE_BYTES, name + ".signature");
    }

    private static void checkId(int id, String name) {
        if (id < 1 || id > MAX_KEY_ID) {
            throw Failure.BAD_REQUEST.exception(name + " key ids must be 1.." + MAX_KEY_ID);
        }
    }

    private static void checkLength(ByteString bytes, int expected, String name) {
        if (bytes.size() != expected) {
            throw Failure.BAD_REQUEST.exception(name + " must be " + expected + " bytes, got " + bytes.size());
        }
    }
}
