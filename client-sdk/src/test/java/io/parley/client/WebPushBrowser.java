package io.parley.client;

import io.parley.proto.WebPushSubscription;
import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The browser's half of Web Push for tests: a P-256 key pair and auth secret (what PushManager
 * makes), and decryption of a received aes128gcm message (RFC 8291, RFC 8188) with them.
 */
final class WebPushBrowser {
    final KeyPair keys;
    final byte[] auth = new byte[16];
    final byte[] publicKey;

    WebPushBrowser() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        keys = generator.generateKeyPair();
        new SecureRandom().nextBytes(auth);
        publicKey = uncompressed((ECPublicKey) keys.getPublic());
    }

    WebPushSubscription subscription(String endpoint) {
        return WebPushSubscription.newBuilder().setEndpoint(endpoint).setP256Dh(ByteString.copyFrom(publicKey))
                .setAuth(ByteString.copyFrom(auth)).build();
    }

    /** Decrypts a push message body: header (salt, rs, idlen, sender key), then one AES-128-GCM record. */
    byte[] decrypt(byte[] body) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        in.get(salt);
        int recordSize = in.getInt();
        byte[] senderKey = new byte[in.get() & 0xff];
        in.get(senderKey);
        byte[] record = new byte[in.remaining()];
        in.get(record);
        if (record.length > recordSize) {
            throw new IllegalArgumentException("more than one record");
        }
        KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
        ecdh.init(keys.getPrivate());
        ecdh.doPhase(publicKeyOf(senderKey, (ECPublicKey) keys.getPublic()), true);
        byte[] shared = ecdh.generateSecret();
        byte[] info = ByteBuffer.allocate(14 + 65 + 65).put("WebPush: info\0".getBytes(StandardCharsets.US_ASCII))
                .put(publicKey).put(senderKey).array();
        byte[] ikm = expand(extract(auth, shared), info, 32);
        byte[] prk = extract(salt, ikm);
        byte[] key = expand(prk, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = expand(prk, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = gcm.doFinal(record);
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        if (end < 0 || padded[end] != 2) {
            throw new IllegalArgumentException("the last record must end with the delimiter 0x02");
        }
        return Arrays.copyOf(padded, end);
    }

    static ECPublicKey publicKeyOf(byte[] point, ECPublicKey sameCurve) throws Exception {
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, sameCurve.getParams()));
    }

    private static byte[] extract(byte[] salt, byte[] ikm) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        return mac.doFinal(ikm);
    }

    private static byte[] expand(byte[] prk, byte[] info, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return Arrays.copyOf(mac.doFinal(), length);
    }

    private static byte[] uncompressed(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        byte[] x = key.getW().getAffineX().toByteArray();
        byte[] y = key.getW().getAffineY().toByteArray();
        System.arraycopy(x, Math.max(0, x.length - 32), out, 1 + 32 - Math.min(32, x.length), Math.min(32, x.length));
        System.arraycopy(y, Math.max(0, y.length - 32), out, 33 + 32 - Math.min(32, y.length), Math.min(32, y.length));
        return out;
    }
}
