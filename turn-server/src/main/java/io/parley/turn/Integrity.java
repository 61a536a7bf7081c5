package io.parley.turn;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY (HMAC-SHA1 with the long-term key) and FINGERPRINT (CRC-32 xor 0x5354554E) of
 * RFC 8489, computed over the wire bytes: checked on requests, appended to the responses ice4j encodes.
 */
final class Integrity {
    private static final int MI_LENGTH = 20;

    private Integrity() {
    }

    /** Whether the MESSAGE-INTEGRITY at {@code miOffset} of a message matches {@code key}. */
    static boolean verify(byte[] message, int miOffset, byte[] key) {
        byte[] expected = hmac(key, message, miOffset);
        byte[] given = Arrays.copyOfRange(message, miOffset + 4, miOffset + 4 + MI_LENGTH);
        return MessageDigest.isEqual(expected, given);
    }

    /** The message with MESSAGE-INTEGRITY (when a key is given) and FINGERPRINT appended, lengths fixed. */
    static byte[] seal(byte[] encoded, byte[] key, boolean fingerprint) {
        int size = encoded.length + (key != null ? 4 + MI_LENGTH : 0) + (fingerprint ? 8 : 0);
        byte[] out = Arrays.copyOf(encoded, size);
        int at = encoded.length;
        if (key != null) {
            byte[] mac = hmac(key, withLength(out, at + 4 + MI_LENGTH - Stun.HEADER), at);
            put16(out, at, Stun.MESSAGE_INTEGRITY);
            put16(out, at + 2, MI_LENGTH);
            System.arraycopy(mac, 0, out, at + 4, MI_LENGTH);
            at += 4 + MI_LENGTH;
        }
        if (fingerprint) {
            withLength(out, at + 8 - Stun.HEADER);
            CRC32 crc = new CRC32();
            crc.update(out, 0, at);
            int value = (int) crc.getValue() ^ Stun.FINGERPRINT_XOR;
            put16(out, at, Stun.FINGERPRINT);
            put16(out, at + 2, 4);
            out[at + 4] = (byte) (value >>> 24);
            out[at + 5] = (byte) (value >>> 16);
            out[at + 6] = (byte) (value >>> 8);
            out[at + 7] = (byte) value;
            at += 8;
        }
        withLength(out, at - Stun.HEADER);
        return out;
    }

    /** HMAC over the message up to {@code miOffset}, its length field set as if MI were the last attribute. */
    private static byte[] hmac(byte[] key, byte[] message, int miOffset) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            int lengthWithMi = miOffset + 4 + MI_LENGTH - Stun.HEADER;
            mac.update(message, 0, 2);
            mac.update((byte) (lengthWithMi >>> 8));
            mac.update((byte) lengthWithMi);
            mac.update(message, 4, miOffset - 4);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is missing from this JVM", e);
        }
    }

    private static byte[] withLength(byte[] message, int length) {
        put16(message, 2, length);
        return message;
    }

    private static void put16(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }
}
