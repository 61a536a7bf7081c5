package io.parley.turn;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the attributes of a STUN message in place: the relay's hot path (Send indications) and what
 * ice4j cannot give (every XOR-PEER-ADDRESS of a request, since its decoder keeps one per type; the byte
 * offset of MESSAGE-INTEGRITY). Offsets are relative to the start of the message at {@code base}.
 */
final class RawAttributes {
    /** Attributes a client may send in the requests this server answers; other comprehension-required ones get 420. */
    private static final int[] UNDERSTOOD = {Stun.USERNAME, Stun.MESSAGE_INTEGRITY, Stun.CHANNEL_NUMBER, Stun.LIFETIME,
        Stun.XOR_PEER_ADDRESS, Stun.DATA_ATTR, Stun.REALM, Stun.NONCE, Stun.REQUESTED_ADDRESS_FAMILY, Stun.EVEN_PORT,
        Stun.REQUESTED_TRANSPORT, Stun.DONT_FRAGMENT, Stun.MESSAGE_INTEGRITY_SHA256, Stun.XOR_MAPPED_ADDRESS,
        Stun.RESERVATION_TOKEN, Stun.ERROR_CODE};

    private RawAttributes() {
    }

    /** Offset of the first attribute of {@code type}, or -1; the value starts 4 bytes later. */
    static int find(ByteBuf buf, int base, int length, int type) {
        int at = base + Stun.HEADER;
        int end = base + Stun.HEADER + length;
        while (at + 4 <= end) {
            int attrType = buf.getUnsignedShort(at);
            int attrLength = buf.getUnsignedShort(at + 2);
            if (at + 4 + attrLength > end) {
                return -1;
            }
            if (attrType == type) {
                return at;
            }
            at += 4 + Stun.padded(attrLength);
        }
        return -1;
    }

    /** Every XOR-PEER-ADDRESS of the message, in order; an entry is null where the family is not IPv4 or IPv6. */
    static List<InetSocketAddress> peers(byte[] message, int length) {
        List<InetSocketAddress> peers = new ArrayList<>(2);
        int at = Stun.HEADER;
        int end = Math.min(message.length, Stun.HEADER + length);
        while (at + 4 <= end) {
            int type = u16(message, at);
            int attrLength = u16(message, at + 2);
            if (at + 4 + attrLength > end) {
                break;
            }
            if (type == Stun.XOR_PEER_ADDRESS) {
                peers.add(xorAddress(message, at + 4, attrLength));
            }
            at += 4 + Stun.padded(attrLength);
        }
        return peers;
    }

    /** Comprehension-required attributes (types below 0x8000) this server does not understand. */
    static List<Integer> unknownRequired(byte[] message, int length) {
        List<Integer> unknown = new ArrayList<>(0);
        int at = Stun.HEADER;
        int end = Math.min(message.length, Stun.HEADER + length);
        while (at + 4 <= end) {
            int type = u16(message, at);
            int attrLength = u16(message, at + 2);
            if (type < 0x8000 && !understood(type) && !unknown.contains(type)) {
                unknown.add(type);
            }
            at += 4 + Stun.padded(attrLength);
        }
        return unknown;
    }

    private static boolean understood(int type) {
        for (int known : UNDERSTOOD) {
            if (known == type) {
                return true;
            }
        }
        return false;
    }

    /**
     * The message as ice4j's decoder accepts it: it refuses EVEN-PORT with its RFC 8656 length of 1 (it
     * wants 4) and REQUESTED-ADDRESS-FAMILY with its length of 4 (it wants 1), so a copy gets the lengths
     * ice4j wants; both stay within the same padded 4 bytes, and FINGERPRINT is computed anew. Integrity is
     * still checked on the original bytes.
     */
    static byte[] forIce4j(byte[] message, int length) {
        byte[] copy = null;
        int at = Stun.HEADER;
        int end = Math.min(message.length, Stun.HEADER + length);
        while (at + 4 <= end) {
            int type = u16(message, at);
            int attrLength = u16(message, at + 2);
            if (type == Stun.EVEN_PORT && attrLength == 1 && at + 8 <= end) {
                copy = copy != null ? copy : message.clone();
                copy[at + 3] = 4;
            } else if (type == Stun.REQUESTED_ADDRESS_FAMILY && attrLength == 4) {
                copy = copy != null ? copy : message.clone();
                copy[at + 3] = 1;
            }
            at += 4 + Stun.padded(attrLength);
        }
        if (copy == null) {
            return message;
        }
        int fingerprint = end - 8;
        boolean hasFingerprint = fingerprint >= Stun.HEADER && u16(copy, fingerprint) == Stun.FINGERPRINT;
        return hasFingerprint ? Integrity.seal(java.util.Arrays.copyOf(copy, fingerprint), null, true) : copy;
    }

    /** Offset of MESSAGE-INTEGRITY in a whole message, or -1. */
    static int integrityOffset(byte[] message, int length) {
        int at = Stun.HEADER;
        int end = Math.min(message.length, Stun.HEADER + length);
        while (at + 4 <= end) {
            int type = u16(message, at);
            int attrLength = u16(message, at + 2);
            if (type == Stun.MESSAGE_INTEGRITY) {
                return attrLength == 20 && at + 24 <= end ? at : -1;
            }
            at += 4 + Stun.padded(attrLength);
        }
        return -1;
    }

    /** Decodes an XOR-PEER-ADDRESS value of a Send indication in place; null if it is not a valid one. */
    static InetSocketAddress xorAddress(ByteBuf buf, int valueAt, int valueLength, int messageBase) {
        int family = buf.getUnsignedByte(valueAt + 1);
        int port = buf.getUnsignedShort(valueAt + 2) ^ (Stun.MAGIC_COOKIE >>> 16);
        byte[] address;
        if (family == Stun.FAMILY_IPV4 && valueLength == 8) {
            address = new byte[4];
            int raw = buf.getInt(valueAt + 4) ^ Stun.MAGIC_COOKIE;
            address[0] = (byte) (raw >>> 24);
            address[1] = (byte) (raw >>> 16);
            address[2] = (byte) (raw >>> 8);
            address[3] = (byte) raw;
        } else if (family == Stun.FAMILY_IPV6 && valueLength == 20) {
            address = new byte[16];
            for (int i = 0; i < 16; i++) {
                address[i] = (byte) (buf.getByte(valueAt + 4 + i) ^ buf.getByte(messageBase + 4 + i));
            }
        } else {
            return null;
        }
        return socketAddress(address, port);
    }

    private static InetSocketAddress xorAddress(byte[] m, int valueAt, int valueLength) {
        if (valueLength < 8) {
            return null;
        }
        int family = m[valueAt + 1] & 0xFF;
        int port = u16(m, valueAt + 2) ^ (Stun.MAGIC_COOKIE >>> 16);
        byte[] address;
        if (family == Stun.FAMILY_IPV4 && valueLength == 8) {
            address = new byte[4];
        } else if (family == Stun.FAMILY_IPV6 && valueLength == 20) {
            address = new byte[16];
        } else {
            return null;
        }
        for (int i = 0; i < address.length; i++) {
            address[i] = (byte) (m[valueAt + 4 + i] ^ m[4 + i]); // cookie, then transaction id, as RFC 8489 says
        }
        return socketAddress(address, port);
    }

    private static InetSocketAddress socketAddress(byte[] address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            return null; // only for a wrong length, excluded above
        }
    }

    static int u16(byte[] m, int at) {
        return ((m[at] & 0xFF) << 8) | (m[at + 1] & 0xFF);
    }
}
