package io.parley.node;

import io.parley.status.StatusConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@code status.*} configuration keys and the {@link StatusConfig} they make. */
final class StatusSettings {
    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey("status.lifetimeSeconds", ConfigKey.Type.INT, 86_400,
                    "how long a status post is visible; then it, its views and its media are deleted"),
            new ConfigKey("status.sweepSeconds", ConfigKey.Type.INT, 60, "how often expired status posts are deleted"));

    private StatusSettings() {
    }

    static StatusConfig from(Map<String, Object> v) {
        int lifetime = (Integer) v.get("status.lifetimeSeconds");
        if (lifetime < 60 || lifetime > 30 * 86_400) {
            throw new ConfigException("status.lifetimeSeconds", "must be between 60 and 2592000, got " + lifetime);
        }
        int sweep = (Integer) v.get("status.sweepSeconds");
        if (sweep < 1 || sweep > 3600) {
            throw new ConfigException("status.sweepSeconds", "must be between 1 and 3600, got " + sweep);
        }
        return StatusConfig.of(Duration.ofSeconds(lifetime), Duration.ofSeconds(sweep));
    }
}
