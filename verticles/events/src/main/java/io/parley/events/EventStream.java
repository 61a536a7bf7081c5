package io.parley.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side: one idempotent producer (enable.idempotence, acks=all) writing each event as a
 * JSON record to its kind's topic, keyed by user id, so one user's events keep their order in a
 * partition. Sends never wait for Kafka on the caller's path; failures are counted and logged at
 * most once per {@link #LOG_EVERY_MS}.
 */
final class EventStream {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final long LOG_EVERY_MS = 10_000;
    /** Kafka buffers this much while the broker is away; beyond it, sends fail instead of blocking. */
    private static final String BUFFER_BYTES = String.valueOf(32 * 1024 * 1024);
    private static final String MAX_BLOCK_MS = "1000";

    /** The topics, one per kind of event, each under the configured prefix. */
    enum Topic {
        MESSAGES("messages"), RECEIPTS("receipts"), ACCOUNTS("accounts"), DEVICES("devices");

        final String suffix;

        Topic(String suffix) {
            this.suffix = suffix;
        }
    }

    private final KafkaProducer<String, String> producer;
    private final String prefix;
    private final EventMeters meters;
    private long lastFailureLog;

    private EventStream(KafkaProducer<String, String> producer, String prefix, EventMeters meters) {
        this.producer = producer;
        this.prefix = prefix;
        this.meters = meters;
    }

    static EventStream connect(Vertx vertx, String bootstrapServers, String prefix, String clientId, EventMeters meters) {
        Map<String, String> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("client.id", clientId);
        config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        config.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        config.put("enable.idempotence", "true");
        config.put("acks", "all");
        config.put("linger.ms", "5");
        config.put("compression.type", "lz4");
        config.put("buffer.memory", BUFFER_BYTES);
        config.put("max.block.ms", MAX_BLOCK_MS);
        return new EventStream(KafkaProducer.createShared(vertx, "parley-events", config), prefix, meters);
    }

    static String topicName(String prefix, Topic topic) {
        return prefix + topic.suffix;
    }

    void publish(Topic topic, String userKey, JsonObject event) {
        producer.send(KafkaProducerRecord.create(topicName(prefix, topic), userKey, event.encode()))
                .onSuccess(meta -> meters.written().increment())
                .onFailure(e -> {
                    meters.failed().increment();
                    long failures = (long) meters.failed().count();
                    long now = System.currentTimeMillis();
                    if (now - lastFailureLog > LOG_EVERY_MS) {
                        lastFailureLog = now;
                        LOG.warn("event not written to Kafka [topic: {}, failures so far: {}]: {}",
                                topicName(prefix, topic), failures, e.getMessage());
                    }
                });
    }

    Future<Void> close() {
        return producer.close();
    }
}
