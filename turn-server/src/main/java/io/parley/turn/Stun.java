package io.parley.turn;

/** Numbers of STUN (RFC 8489) and TURN (RFC 8656) that the server reads or writes without ice4j. */
final class Stun {
    static final int HEADER = 20;
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int CHANNEL_DATA_HEADER = 4;
    static final int MIN_CHANNEL = 0x4000;
    static final int MAX_CHANNEL = 0x7FFF;

    static final int BINDING = 0x001;
    static final int ALLOCATE = 0x003;
    static final int REFRESH = 0x004;
    static final int SEND = 0x006;
    static final int DATA = 0x007;
    static final int CREATE_PERMISSION = 0x008;
    static final int CHANNEL_BIND = 0x009;

    static final int CLASS_REQUEST = 0x0000;
    static final int CLASS_INDICATION = 0x0010;
    static final int CLASS_SUCCESS = 0x0100;
    static final int CLASS_ERROR = 0x0110;

    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int ERROR_CODE = 0x0009;
    static final int CHANNEL_NUMBER = 0x000C;
    static final int LIFETIME = 0x000D;
    static final int XOR_PEER_ADDRESS = 0x0012;
    static final int DATA_ATTR = 0x0013;
    static final int REALM = 0x0014;
    static final int NONCE = 0x0015;
    static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
    static final int EVEN_PORT = 0x0018;
    static final int REQUESTED_TRANSPORT = 0x0019;
    static final int DONT_FRAGMENT = 0x001A;
    static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int RESERVATION_TOKEN = 0x0022;
    static final int FINGERPRINT = 0x8028;

    static final int FAMILY_IPV4 = 0x01;
    static final int FAMILY_IPV6 = 0x02;
    static final int UDP = 17;
    static final int FINGERPRINT_XOR = 0x5354554E;

    /** The message type of a method in a class (the method's bits interleave with the two class bits). */
    static int type(int method, int messageClass) {
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) | messageClass;
    }

    static int methodOf(int type) {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    static int classOf(int type) {
        return type & 0x0110;
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }

    private Stun() {
    }
}
