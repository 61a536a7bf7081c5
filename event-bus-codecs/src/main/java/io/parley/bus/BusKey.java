package io.parley.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.shareddata.LocalMap;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that signs the caller the edge stamps on a bus request, so that a service believes a
 * caller only when an edge of this installation vouched for it: anything else on the bus (a
 * component that forgets a header, a tool, a foreign member) gets 401. The node installs the
 * installation's key (kept in PostgreSQL, the same for every node) before deploying verticles; a
 * Vert.x instance without one gets a random key of its own, which holds within one process.
 */
public final class BusKey {
    static final int BYTES = 32;
    private static final String MAP = "parley.bus-key";
    private static final String ALGORITHM = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ThreadLocal<Mac> macs;

    private BusKey(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key.clone(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no " + ALGORITHM + " in this JVM", e);
            }
        });
    }

    /** Sets this Vert.x instance's key (at least 32 bytes); before any verticle is deployed. */
    public static void install(Vertx vertx, byte[] key) {
        if (key.length < BYTES) {
            throw new IllegalArgumentException("a bus key has at least " + BYTES + " bytes, got " + key.length);
        }
        vertx.sharedData().<String, Buffer>getLocalMap(MAP).put("key", Buffer.buffer(key.clone()));
    }

    /** This Vert.x instance's key: the installed one, else a random one made once. */
    public static BusKey of(Vertx vertx) {
        LocalMap<String, Buffer> map = vertx.sharedData().getLocalMap(MAP);
        Buffer key = map.get("key");
        if (key == null) {
            byte[] fresh = new byte[BYTES];
            RANDOM.nextBytes(fresh);
            Buffer made = map.putIfAbsent("key", Buffer.buffer(fresh));
            key = made != null ? made : map.get("key");
        }
        return new BusKey(key.getBytes());
    }

    /** A new random key, base64, for an installation to keep. */
    public static String newEncodedKey() {
        byte[] key = new byte[BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    String sign(UUID userId, int deviceId) {
        byte[] tag = macs.get().doFinal((userId + "/" + deviceId).getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    }

    boolean verify(UUID userId, int deviceId, String signature) {
        return MessageDigest.isEqual(sign(userId, deviceId).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
