package io.parley.node;

import io.parley.events.EventsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code kafka.*}, {@code push.*}, {@code backup.*} and {@code admin.*} configuration keys and
 * what they make: the events role's configuration, the backup size cap and the admin token.
 */
final class OpsSettings {
    /** What the operations keys make. {@code adminToken} empty: the node makes one in DATA/admin-token. */
    record Ops(EventsConfig events, int backupMaxBytes, Optional<String> adminToken) {
    }

    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey("kafka.bootstrapServers", ConfigKey.Type.STRING, "",
                    "Kafka brokers (host:port,...) for the event stream; empty: no stream"),
            new ConfigKey("kafka.topicPrefix", ConfigKey.Type.STRING, "parley.",
                    "prefix of the event topics (PREFIX messages, receipts, accounts, devices)"),
            new ConfigKey("push.pendingTtlSeconds", ConfigKey.Type.INT, 3600,
                    "after a wake, no other wake for the device until it connects or this long passes"),
            new ConfigKey("push.messageTtlSeconds", ConfigKey.Type.INT, 43_200,
                    "how long a push service keeps a wake for a device it cannot reach"),
            new ConfigKey("push.vapidSubject", ConfigKey.Type.STRING, "mailto:admin@localhost",
                    "VAPID contact (mailto: or https: URL) push services may use to reach the operator"),
            new ConfigKey("push.allowPrivateEndpoints", ConfigKey.Type.BOOLEAN, false,
                    "accept http and loopback/private Web Push endpoints (tests only)"),
            new ConfigKey("push.fcmProjectId", ConfigKey.Type.STRING, "", "Firebase project id; empty: no FCM"),
            new ConfigKey("push.fcmCredentialsFile", ConfigKey.Type.STRING, "",
                    "the Firebase service account's JSON key file"),
            new ConfigKey("push.fcmUrl", ConfigKey.Type.STRING, "https://fcm.googleapis.com", "FCM API base URL"),
            new ConfigKey("push.apnsTeamId", ConfigKey.Type.STRING, "", "Apple developer team id; empty: no APNs"),
            new ConfigKey("push.apnsKeyId", ConfigKey.Type.STRING, "", "id of the APNs token key"),
            new ConfigKey("push.apnsKeyFile", ConfigKey.Type.STRING, "", "the APNs token key (.p8, PEM)"),
            new ConfigKey("push.apnsTopic", ConfigKey.Type.STRING, "", "the app's bundle id"),
            new ConfigKey("push.apnsUrl", ConfigKey.Type.STRING, "https://api.push.apple.com", "APNs base URL"),
            new ConfigKey("backup.maxBytes", ConfigKey.Type.INT, io.parley.accounts.AccountsConfig.DEFAULT_BACKUP_MAX_BYTES,
                    "largest encrypted backup an account may store (bigger ones get 413)"),
            new ConfigKey("admin.token", ConfigKey.Type.STRING, "",
                    "bearer token of the admin API (16+ characters); empty: a random one in DATA/admin-token"));

    private OpsSettings() {
    }

    static Ops from(Map<String, Object> v) {
        EventsConfig defaults = EventsConfig.defaults();
        String kafka = ((String) v.get("kafka.bootstrapServers")).strip();
        if (!kafka.isEmpty() && !kafka.matches("[^,\\s:]+:[0-9]{1,5}(,[^,\\s:]+:[0-9]{1,5})*")) {
            throw new ConfigException("kafka.bootstrapServers", "must be host:port entries separated by commas, got '"
                    + kafka + "'");
        }
        String prefix = (String) v.get("kafka.topicPrefix");
        if (!prefix.matches("[A-Za-z0-9._-]{0,100}")) {
            throw new ConfigException("kafka.topicPrefix", "may hold only letters, digits, '.', '_' and '-'");
        }
        String subject = (String) v.get("push.vapidSubject");
        if (!subject.startsWith("mailto:") && !subject.startsWith("https:")) {
            throw new ConfigException("push.vapidSubject", "must be a mailto: or https: URL, got '" + subject + "'");
        }
        Optional<EventsConfig.Fcm> fcm = Optional.of((String) v.get("push.fcmProjectId")).filter(s -> !s.isEmpty())
                .map(project -> new EventsConfig.Fcm(project, required(v, "push.fcmCredentialsFile", "push.fcmProjectId"),
                        (String) v.get("push.fcmUrl")));
        Optional<EventsConfig.Apns> apns = Optional.of((String) v.get("push.apnsTeamId")).filter(s -> !s.isEmpty())
                .map(team -> new EventsConfig.Apns(team, required(v, "push.apnsKeyId", "push.apnsTeamId"),
                        required(v, "push.apnsKeyFile", "push.apnsTeamId"), required(v, "push.apnsTopic", "push.apnsTeamId"),
                        (String) v.get("push.apnsUrl")));
        EventsConfig.Push push = new EventsConfig.Push(Duration.ofSeconds(bounded(v, "push.pendingTtlSeconds", 1, 30 * 86_400)),
                Duration.ofSeconds(bounded(v, "push.messageTtlSeconds", 0, 28 * 86_400)), subject,
                (Boolean) v.get("push.allowPrivateEndpoints"), fcm, apns, defaults.push().requestTimeout());
        String token = (String) v.get("admin.token");
        if (!token.isEmpty() && token.length() < 16) {
            throw new ConfigException("admin.token", "must have at least 16 characters");
        }
        EventsConfig events = new EventsConfig(Optional.of(kafka).filter(s -> !s.isEmpty()), prefix, push);
        return new Ops(events, bounded(v, "backup.maxBytes", 1024, 1024 * 1024 * 1024),
                Optional.of(token).filter(s -> !s.isEmpty()));
    }

    private static String required(Map<String, Object> v, String key, String because) {
        String value = (String) v.get(key);
        if (value.isEmpty()) {
            throw new ConfigException(key, "is required when " + because + " is set");
        }
        return value;
    }

    private static int bounded(Map<String, Object> v, String key, int min, int max) {
        int value = (Integer) v.get(key);
        if (value < min || value > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
