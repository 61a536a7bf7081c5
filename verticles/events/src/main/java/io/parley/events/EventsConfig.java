package io.parley.events;

import java.time.Duration;
import java.util.Optional;

/**
 * What the events verticle needs: the Kafka stream (off without bootstrap servers) and the push
 * gateway (how long a wake stays pending, who signs Web Push, the FCM and APNs endpoints).
 */
public record EventsConfig(Optional<String> kafkaBootstrapServers, String topicPrefix, Push push) {

    /**
     * The push gateway. {@code pendingTtl}: one wake per device until it connects, or this long;
     * {@code allowPrivateEndpoints}: let Web Push endpoints be plain http or loopback/private hosts
     * (tests only: otherwise a client could make the server call into the private network).
     */
    public record Push(Duration pendingTtl, Duration messageTtl, String vapidSubject, boolean allowPrivateEndpoints,
            Optional<Fcm> fcm, Optional<Apns> apns, Duration requestTimeout) {
    }

    /** Firebase Cloud Messaging HTTP v1: the service account's JSON key file and the API's base URL. */
    public record Fcm(String projectId, String credentialsFile, String baseUrl) {
    }

    /** APNs over HTTP/2 with a token (.p8) key: team, key id, the app's bundle id (topic), base URL. */
    public record Apns(String teamId, String keyId, String keyFile, String topic, String baseUrl) {
    }

    public static EventsConfig defaults() {
        return new EventsConfig(Optional.empty(), "parley.", new Push(Duration.ofHours(1), Duration.ofHours(12),
                "mailto:admin@localhost", false, Optional.empty(), Optional.empty(), Duration.ofSeconds(10)));
    }

    public EventsConfig withKafka(String bootstrapServers) {
        return new EventsConfig(Optional.of(bootstrapServers), topicPrefix, push);
    }

    public EventsConfig withPush(Push push) {
        return new EventsConfig(kafkaBootstrapServers, topicPrefix, push);
    }
}
