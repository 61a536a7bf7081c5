package io.parley.calls;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A call as Redis holds it: who started it from which device, the callee (1:1), its state
 * (ringing until answered, then active) and times. Group calls keep their participants apart.
 */
record Call(UUID id, boolean group, UUID caller, int callerDevice, UUID callee, boolean video, boolean ringing,
        long startedAt, long ringUntil, long answeredAt, int answeredDevice) {
    static final String RINGING = "ringing";
    static final String ACTIVE = "active";

    /** Parses HGETALL's flat field/value list. */
    static Call of(UUID id, List<String> flat) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            h.put(flat.get(i), flat.get(i + 1));
        }
        String callee = h.get("callee");
        return new Call(id, "1".equals(h.get("group")), UUID.fromString(h.get("caller")),
                Integer.parseInt(h.get("callerDevice")), callee == null ? null : UUID.fromString(callee),
                "1".equals(h.get("video")), RINGING.equals(h.get("state")), Long.parseLong(h.get("startedAt")),
                Long.parseLong(h.getOrDefault("ringUntil", "0")), Long.parseLong(h.getOrDefault("answeredAt", "0")),
                Integer.parseInt(h.getOrDefault("answeredDevice", "0")));
    }

    boolean isCallerDevice(UUID user, int device) {
        return caller.equals(user) && callerDevice == device;
    }

    boolean isAnsweringDevice(UUID user, int device) {
        return !ringing && callee != null && callee.equals(user) && answeredDevice == device;
    }

    /** The user on the other side of a 1:1 call. */
    UUID peerOf(UUID user) {
        return user.equals(caller) ? callee : caller;
    }
}
