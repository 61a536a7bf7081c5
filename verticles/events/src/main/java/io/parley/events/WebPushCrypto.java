package io.parley.events;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Web Push message encryption (RFC 8291) in the aes128gcm content coding (RFC 8188), on JDK
 * crypto: an ephemeral P-256 key agreed with the browser's key, mixed with its auth secret, gives
 * the content key and nonce; the body is one record: salt, record size, our public key, ciphertext.
 */
final class WebPushCrypto {
    static final int PUBLIC_KEY_BYTES = 65;
    static final int AUTH_BYTES = 16;
    private static final int SALT_BYTES = 16;
    private static final int RECORD_SIZE = 4096;
    private static final int TAG_BITS = 128;
    private static final byte LAST_RECORD = 2;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ECParameterSpec P256 = p256();

    private WebPushCrypto() {
    }

    /** The encrypted body for a subscription's key and auth secret; the payload must fit one record. */
    static byte[] encrypt(byte[] uaPublic, byte[] authSecret, byte[] payload) throws GeneralSecurityException {
        if (payload.length + 1 + TAG_BITS / 8 > RECORD_SIZE) {
            throw new IllegalArgumentException("payload too large for one record");
        }
        KeyPair ephemeral = newKeyPair();
        byte[] asPublic = encode((ECPublicKey) ephemeral.getPublic());
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(ephemeral.getPrivate());
        agreement.doPhase(decode(uaPublic), true);
        byte[] ecdhSecret = agreement.generateSecret();

        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, asPublic);
        byte[] ikm = hkdf(authSecret, ecdhSecret, keyInfo, 32);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);

        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        byte[] ciphertext = gcm.doFinal(concat(payload, new byte[] {LAST_RECORD}));
        return ByteBuffer.allocate(SALT_BYTES + 4 + 1 + asPublic.length + ciphertext.length)
                .put(salt).putInt(RECORD_SIZE).put((byte) asPublic.length).put(asPublic).put(ciphertext).array();
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    /** The uncompressed point 0x04 ‖ x ‖ y, as browsers and VAPID exchange P-256 keys. */
    static byte[] encode(ECPublicKey key) {
        byte[] out = new byte[PUBLIC_KEY_BYTES];
        out[0] = 4;
        copyUnsigned(key.getW().getAffineX(), out, 1);
        copyUnsigned(key.getW().getAffineY(), out, 33);
        return out;
    }

    static ECPublicKey decode(byte[] uncompressed) throws GeneralSecurityException {
        if (uncompressed.length != PUBLIC_KEY_BYTES || uncompressed[0] != 4) {
            throw new java.security.InvalidKeyException("a P-256 public key is 65 bytes starting with 0x04");
        }
        ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, P256));
    }

    /** HKDF-SHA256 (RFC 5869) for outputs of at most one block. */
    static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return Arrays.copyOf(mac.doFinal(), length);
    }

    private static void copyUnsigned(BigInteger value, byte[] out, int at) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > 32 ? bytes.length - 32 : 0;
        System.arraycopy(bytes, skip, out, at + 32 - (bytes.length - skip), bytes.length - skip);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }

    private static ECParameterSpec p256() {
        try {
            java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no P-256", e);
        }
    }
}
