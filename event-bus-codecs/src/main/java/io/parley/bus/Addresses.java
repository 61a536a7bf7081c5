package io.parley.bus;

import java.util.UUID;

/** Every event-bus address of Parley. Nothing else declares an address string. */
public final class Addresses {
    private static final String PREFIX = "parley.";

    private Addresses() {
    }

    /** A connected device's local consumer, registered by the edge on the node that holds its socket. */
    public static String device(UUID userId, int deviceId) {
        return PREFIX + "device." + userId + "." + deviceId;
    }

    /** A node's own address: pushes for devices connected to that node arrive here. */
    public static String node(String nodeId) {
        return PREFIX + "node." + nodeId;
    }
}
