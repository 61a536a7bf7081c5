package io.parley.sessions;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The devices connected to this node, shared by every edge instance of the node: finds the
 * session to replace when the same device connects again, and the one to close on an eviction.
 */
public final class LocalDevices {
    private final Map<String, DeviceSession> sessions = new ConcurrentHashMap<>();

    static String key(UUID userId, int deviceId) {
        return userId + "." + deviceId;
    }

    /** Makes this session the device's; returns the one it replaces on this node, if any. */
    DeviceSession claim(UUID userId, int deviceId, DeviceSession session) {
        return sessions.put(key(userId, deviceId), session);
    }

    void release(UUID userId, int deviceId, DeviceSession session) {
        sessions.remove(key(userId, deviceId), session);
    }

    DeviceSession get(UUID userId, int deviceId) {
        return sessions.get(key(userId, deviceId));
    }

    public int size() {
        return sessions.size();
    }
}
