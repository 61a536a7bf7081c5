package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Addresses;
import io.parley.bus.DevicePusher;
import io.parley.bus.Ids;
import io.parley.proto.Envelope;
import io.parley.proto.SharedDelivered;
import io.parley.proto.SharedDelivery;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A group message's fan-out through messaging: the body is stored once, every device gets it. */
class SharedDeliveryTest {
    private Vertx vertx;
    private Pool db;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        db = PgBuilder.pool().connectingTo(TestNode.get().postgres()).using(vertx).build();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void storesTheBodyOnceDeliversToEveryDeviceAndSweepsItAfterTheLastAck() {
        var sender = Users.register(vertx, Users.uniqueName("sender"));
        var bobPhone = Users.register(vertx, Users.uniqueName("bob"));
        ParleyClient linking = Users.connect(vertx, bobPhone);
        var bobTabletCredentials = Users.link(vertx, linking, "tablet");
        Await.result(linking.close());
        var carolPhone = Users.register(vertx, Users.uniqueName("carol"));
        UUID bobId = Ids.uuid(bobPhone.getUserId(), "user_id");
        UUID carolId = Ids.uuid(carolPhone.getUserId(), "user_id");
        UUID group = UUID.randomUUID();
        ByteString clientId = Ids.bytes(UUID.randomUUID());
        SharedDelivery delivery = SharedDelivery.newBuilder().setClientMessageId(clientId).setRecipient(Ids.bytes(group))
                .setEnvelope(Envelope.newBuilder().setSenderUser(sender.getUserId()).setSenderDevice(1)
                        .setConversationUser(Ids.bytes(group)).setGroupId(Ids.bytes(group))
                        .setContent(ByteString.copyFromUtf8("to the group")))
                .addAllDevices(List.of(DevicePusher.ref(bobId, 1), DevicePusher.ref(bobId, 2),
                        DevicePusher.ref(carolId, 1))).build();

        SharedDelivered first = deliver(delivery);
        SharedDelivered retry = deliver(delivery);

        assertThat(first.getStored()).isEqualTo(3);
        assertThat(retry.getDuplicate()).isTrue();
        assertThat(retry.getMessageId()).isEqualTo(first.getMessageId());
        UUID messageId = Ids.uuid(first.getMessageId(), "message_id");
        assertThat(count("SELECT count(*) FROM message_bodies b JOIN inbox i ON i.body_id = b.body_id "
                + "WHERE i.message_id = $1 GROUP BY b.body_id", messageId)).as("one body for three rows").isEqualTo(3);
        assertThat(count("SELECT count(*) FROM inbox WHERE message_id = $1 AND content IS NOT NULL", messageId)).isZero();

        Device bob = new Device(vertx, bobPhone);
        Device bobTablet = new Device(vertx, bobTabletCredentials);
        Device carol = new Device(vertx, carolPhone);
        Await.until(() -> bob.texts().contains("to the group") && bobTablet.texts().contains("to the group")
                && carol.texts().contains("to the group"), "every member device to get the message from its inbox");
        assertThat(carol.received.get(0).getGroupId()).isEqualTo(Ids.bytes(group));

        List.of(bob, bobTablet, carol).forEach(Device::close);
        Await.until(() -> count("SELECT count(*) FROM inbox WHERE message_id = $1", messageId) == 0, "the acks");
        long bodiesBefore = count("SELECT count(*) FROM message_bodies", null);
        TestNode.CLOCK.advance(Duration.ofMinutes(2));
        Await.until(() -> count("SELECT count(*) FROM message_bodies", null) < bodiesBefore,
                "the sweep to delete the body no row points at");
    }

    private SharedDelivered deliver(SharedDelivery delivery) {
        return Await.result(TestNode.get().vertx().eventBus()
                .<SharedDelivered>request(Addresses.MESSAGING_DELIVER_SHARED, delivery)).body();
    }

    private long count(String sql, UUID parameter) {
        var rows = Await.result(parameter == null ? db.query(sql).execute() : db.preparedQuery(sql).execute(Tuple.of(parameter)));
        return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
    }
}
