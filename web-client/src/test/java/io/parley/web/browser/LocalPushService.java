package io.parley.web.browser;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
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
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The push service for the browser tests, on loopback (headless Chromium here reaches none): it
 * accepts the node's Web Push requests (201, as a push service does) and records them. Each
 * {@link Subscription} is a browser's half (P-256 key pair and auth secret) with an endpoint here,
 * and decrypts what arrived for it (RFC 8291 aes128gcm), as the browser would before it wakes
 * the service worker.
 */
final class LocalPushService implements AutoCloseable {
    /** One request the node sent to an endpoint. */
    record Received(String path, Map<String, String> headers, byte[] body) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    LocalPushService() {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    Map<String, String> headers = new HashMap<>();
                    request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                    if (!request.path().startsWith("/push/")) {
                        request.response().setStatusCode(404).end();
                        return;
                    }
                    received.add(new Received(request.path(), headers, body.getBytes()));
                    request.response().setStatusCode(201).end();
                }));
        JavaPerson.await(server.listen());
    }

    Subscription newSubscription() throws Exception {
        return new Subscription("http://127.0.0.1:" + server.actualPort() + "/push/" + UUID.randomUUID());
    }

    List<Received> to(Subscription subscription) {
        String path = java.net.URI.create(subscription.endpoint).getPath();
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        JavaPerson.await(vertx.close());
    }

    /** A browser's subscription: what PushManager.subscribe would make, with the private key kept here. */
    static final class Subscription {
        final String endpoint;
        final byte[] auth = new byte[16];
        final byte[] publicKey;
        private final KeyPair keys;

        private Subscription(String endpoint) throws Exception {
            this.endpoint = endpoint;
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
            new SecureRandom().nextBytes(auth);
            publicKey = point((ECPublicKey) keys.getPublic());
        }

        /** As PushSubscription.toJSON() gives it: base64url keys without padding. */
        Map<String, Object> toJson() {
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            return Map.of("endpoint", endpoint, "keys", Map.of("p256dh", url.encodeToString(publicKey),
                    "auth", url.encodeToString(auth)));
        }

        /** The plaintext of one aes128gcm push body: header (salt, record size, sender key), one record. */
        byte[] decrypt(byte[] body) throws Exception {
            ByteBuffer in = ByteBuffer.wrap(body);
            byte[] salt = new byte[16];
            in.get(salt);
            int recordSize = in.getInt();
            byte[] senderKey = new byte[in.get() & 0xff];
            in.get(senderKey);
            byte[] record = new byte[in.remaining()];
            in.get(record);
            if (senderKey.length != 65 || record.length > recordSize) {
                throw new IllegalArgumentException("not one aes128gcm record with a P-256 sender key");
            }
            KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
            ecdh.init(keys.getPrivate());
            ecdh.doPhase(publicKeyOf(senderKey), true);
            byte[] keyInfo = ByteBuffer.allocate(14 + 65 + 65).put("WebPush: info\0".getBytes(StandardCharsets.US_ASCII))
                    .put(publicKey).put(senderKey).array();
            byte[] prk = hmac(salt, hkdf(auth, ecdh.generateSecret(), keyInfo, 32));
            byte[] cek = expand(prk, "Content-Encoding: aes128gcm\0", 16);
            byte[] nonce = expand(prk, "Content-Encoding: nonce\0", 12);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
            byte[] padded = gcm.doFinal(record);
            int delimiter = padded.length - 1;
            while (delimiter >= 0 && padded[delimiter] == 0) {
                delimiter--;
            }
            if (delimiter < 0 || padded[delimiter] != 2) {
                throw new IllegalArgumentException("the only record must end with the last-record delimiter 2");
            }
            return Arrays.copyOf(padded, delimiter);
        }

        private ECPublicKey publicKeyOf(byte[] point) throws Exception {
            ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                    new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                    new ECPublicKeySpec(w, ((ECPublicKey) keys.getPublic()).getParams()));
        }

        private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws Exception {
            return Arrays.copyOf(hmac(hmac(salt, ikm), concat(info, new byte[] {1})), length);
        }

        private static byte[] expand(byte[] prk, String info, int length) throws Exception {
            return Arrays.copyOf(hmac(prk, concat(info.getBytes(StandardCharsets.US_ASCII), new byte[] {1})), length);
        }

        private static byte[] hmac(byte[] key, byte[] data) throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        private static byte[] point(ECPublicKey key) {
            byte[] out = new byte[65];
            out[0] = 4;
            copyCoordinate(key.getW().getAffineX(), out, 1);
            copyCoordinate(key.getW().getAffineY(), out, 33);
            return out;
        }

        private static void copyCoordinate(BigInteger value, byte[] out, int at) {
            byte[] bytes = value.toByteArray();
            int length = Math.min(32, bytes.length);
            System.arraycopy(bytes, bytes.length - length, out, at + 32 - length, length);
        }
    }
}
