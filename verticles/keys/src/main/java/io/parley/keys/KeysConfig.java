package io.parley.keys;

/**
 * Limits of the keys verticle: one-time keys per upload and stored per device (each kind), and
 * the level under which a device is told to replenish.
 */
public record KeysConfig(int maxPerUpload, int maxStoredPerDevice, int lowWatermark, long accountsTimeoutMs) {
    public static KeysConfig defaults() {
        return new KeysConfig(100, 1_000, 10, 5_000);
    }
}
