package io.parley.node;

import io.parley.calls.CallLifecycleConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@code calls.*} keys of the call lifecycle and the {@link CallLifecycleConfig} they make. */
final class CallSettings {
    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey("calls.ringSeconds", ConfigKey.Type.INT, (int) CallLifecycleConfig.RING_TIMEOUT.toSeconds(),
                    "a 1:1 call not answered within this is missed"),
            new ConfigKey("calls.maxSignalBytes", ConfigKey.Type.INT, CallLifecycleConfig.MAX_SIGNAL_BYTES,
                    "largest signalling blob (SDP, ICE) relayed between the devices of a call; larger gets 413"),
            new ConfigKey("calls.historyDays", ConfigKey.Type.INT, (int) CallLifecycleConfig.HISTORY_RETENTION.toDays(),
                    "call history rows are kept this many days"),
            new ConfigKey("calls.reconnectGraceSeconds", ConfigKey.Type.INT,
                    (int) CallLifecycleConfig.RECONNECT_GRACE.toSeconds(),
                    "a device of a call that disconnects has this long to be back before its call ends"));

    private CallSettings() {
    }

    static CallLifecycleConfig from(Map<String, Object> v) {
        int ring = (Integer) v.get("calls.ringSeconds");
        if (ring < 1 || ring > 600) {
            throw new ConfigException("calls.ringSeconds", "must be between 1 and 600, got " + ring);
        }
        int signal = (Integer) v.get("calls.maxSignalBytes");
        if (signal < 1024 || signal > 1024 * 1024) {
            throw new ConfigException("calls.maxSignalBytes", "must be between 1024 and 1048576, got " + signal);
        }
        int days = (Integer) v.get("calls.historyDays");
        if (days < 1 || days > 3650) {
            throw new ConfigException("calls.historyDays", "must be between 1 and 3650, got " + days);
        }
        int grace = (Integer) v.get("calls.reconnectGraceSeconds");
        if (grace < 0 || grace > 600) {
            throw new ConfigException("calls.reconnectGraceSeconds", "must be between 0 and 600, got " + grace);
        }
        return CallLifecycleConfig.defaults().withRingTimeout(Duration.ofSeconds(ring)).withMaxSignalBytes(signal)
                .withHistoryRetention(Duration.ofDays(days)).withReconnectGrace(Duration.ofSeconds(grace));
    }
}
