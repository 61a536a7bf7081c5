package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.node.ParleyNode;
import io.parley.proto.Receipt;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event stream against a real Kafka broker (KRaft, in this JVM): what two users do on a node
 * configured with the broker is read back from the topics and compared, record by record.
 */
class EventStreamTest {
    private static final List<String> TOPICS = List.of("parley.accounts", "parley.devices", "parley.messages",
            "parley.receipts");
    private static KafkaBroker broker;
    private static ParleyNode node;
    private static ServerAddress server;
    private Vertx vertx;
    private KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    @BeforeAll
    static void startBrokerAndNode() {
        broker = KafkaBroker.start();
        node = TestNode.start(Map.of("kafka.bootstrapServers", broker.bootstrapServers()));
        server = new ServerAddress("127.0.0.1", node.httpPort(), false);
    }

    @AfterAll
    static void stop() {
        node.close();
        broker.close();
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("group.id", "test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(TOPICS);
    }

    @AfterEach
    void tearDown() {
        consumer.close();
        Await.result(vertx.close());
    }

    @Test
    void streamsWhatHappenedAsMetadataKeyedByUser() {
        Device alice = new Device(vertx, server, Users.register(vertx, server, Users.uniqueName("alice")));
        Device bob = new Device(vertx, server, Users.register(vertx, server, Users.uniqueName("bob")));
        String secret = "the launch code is " + UUID.randomUUID();
        ByteString id = Await.result(alice.messenger.send(bob.user(), secret.getBytes(StandardCharsets.UTF_8)))
                .getMessageId();
        Await.until(() -> bob.texts().contains(secret), "bob to get the message");
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.DELIVERED, List.of(id)));
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.READ, List.of(id)));
        bob.close();
        String a = alice.user().toString();
        String b = bob.user().toString();
        String messageId = Ids.uuid(id, "id").toString();

        awaitRecords(() -> find("parley.devices", b, "device.disconnected").size() == 1
                && find("parley.receipts", b, "receipt.read").size() == 1);

        assertThat(find("parley.accounts", a, "account.registered")).singleElement()
                .satisfies(r -> assertThat(r.getString("userId")).isEqualTo(a));
        assertThat(find("parley.accounts", b, "account.registered")).hasSize(1);
        assertThat(find("parley.devices", a, "device.connected")).singleElement()
                .satisfies(r -> assertThat(r.getInteger("deviceId")).isEqualTo(1));
        assertThat(find("parley.devices", b, "device.connected")).hasSize(1);
        assertThat(find("parley.messages", a, "message.message")).singleElement().satisfies(r -> {
            assertThat(r.getString("messageId")).isEqualTo(messageId);
            assertThat(r.getString("senderUser")).isEqualTo(a);
            assertThat(r.getString("recipient")).isEqualTo(b);
            assertThat(r.getInteger("devices")).as("one inbox row: bob's only device").isEqualTo(1);
            assertThat(r.getBoolean("group")).isFalse();
        });
        List<JsonObject> receipts = find("parley.receipts", b, null);
        assertThat(receipts).extracting(r -> r.getString("type")).as("in the order they happened")
                .containsExactly("receipt.delivered", "receipt.read");
        assertThat(receipts).allSatisfy(r -> {
            assertThat(r.getString("toUser")).isEqualTo(a);
            assertThat(r.getJsonArray("messageIds").getList()).containsExactly(messageId);
        });
        String base64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        assertThat(records).as("no content reaches Kafka").allSatisfy(r -> assertThat(r.value())
                .doesNotContain("launch code").doesNotContain(base64.substring(0, 20)));
    }

    @Test
    void writesThroughAnIdempotentProducer() throws Exception {
        Device carol = new Device(vertx, server, Users.register(vertx, server, Users.uniqueName("carol")));
        awaitRecords(() -> find("parley.devices", carol.user().toString(), "device.connected").size() == 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            List<ProducerState> producers = admin.describeProducers(List.of(new TopicPartition("parley.devices", 0)))
                    .partitionResult(new TopicPartition("parley.devices", 0)).get().activeProducers();
            assertThat(producers).as("only idempotent producers have a producer id and state on the broker")
                    .isNotEmpty().allSatisfy(p -> assertThat(p.producerId()).isNotNegative());
        }
    }

    /** The records of a topic for one user key, optionally of one type, in topic order. */
    private List<JsonObject> find(String topic, String user, String type) {
        return records.stream().filter(r -> r.topic().equals(topic) && r.key().equals(user))
                .map(r -> new JsonObject(r.value()))
                .filter(r -> type == null || r.getString("type").equals(type)).toList();
    }

    private void awaitRecords(java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the expected events did not arrive; got " + records.size() + " records: "
                        + records.stream().map(r -> r.topic() + " " + r.key() + " " + r.value()).toList());
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
    }
}
