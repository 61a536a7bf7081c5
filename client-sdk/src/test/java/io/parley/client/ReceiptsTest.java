package io.parley.client;

import static io.parley.client.AccountsAndDevicesTest.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.BlockRequest;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Envelope;
import io.parley.proto.Privacy;
import io.parley.proto.Receipt;
import io.parley.proto.ReceiptRequest;
import io.parley.proto.Request;
import io.parley.proto.SetPrivacyRequest;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivered, read and played receipts through real connections: inbox, replay, other devices, privacy, blocks. */
class ReceiptsTest {
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
    void deliveredThenReadReachEveryDeviceOfTheSenderLive() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device aliceLaptop = new Device(vertx, Users.link(vertx, alice.client, "laptop"));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        ByteString id = Await.result(alice.messenger.send(bob.user(), text("hi"))).getMessageId();
        Await.until(() -> bob.texts().contains("hi"), "bob to get the message");

        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.DELIVERED, List.of(id)));
        Await.until(() -> receipts(alice, Receipt.Type.DELIVERED).size() == 1
                && receipts(aliceLaptop, Receipt.Type.DELIVERED).size() == 1, "the delivered receipt on both devices");
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.READ, List.of(id)));
        Await.until(() -> receipts(alice, Receipt.Type.READ).size() == 1
                && receipts(aliceLaptop, Receipt.Type.READ).size() == 1, "the read receipt on both devices");

        Envelope read = receipts(alice, Receipt.Type.READ).get(0);
        assertThat(read.getKind()).isEqualTo(Envelope.Kind.RECEIPT);
        assertThat(read.getReceipt().getMessageIdsList()).containsExactly(id);
        assertThat(read.getReceipt().getFromUser()).as("stamped from the caller").isEqualTo(bob.credentials.getUserId());
        assertThat(read.getReceipt().getFromDevice()).isEqualTo(1);
        assertThat(read.getSenderUser()).isEqualTo(bob.credentials.getUserId());
        assertThat(read.getConversationUser()).isEqualTo(bob.credentials.getUserId());
        assertThat(read.getServerTimestampMs()).isPositive();
    }

    @Test
    void receiptsWaitInTheInboxOfAnOfflineSenderAndReplayOnReconnect() {
        DeviceCredentials aliceCredentials = Users.register(vertx, Users.uniqueName("alice"));
        Device alice = new Device(vertx, aliceCredentials);
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        ByteString first = Await.result(alice.messenger.send(bob.user(), text("one"))).getMessageId();
        ByteString second = Await.result(alice.messenger.send(bob.user(), text("two"))).getMessageId();
        alice.close();

        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.DELIVERED, List.of(first, second)));
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.READ, List.of(first)));
        assertThat(receiptRows(alice.user())).isEqualTo(2);

        Device again = new Device(vertx, aliceCredentials);
        Await.until(() -> again.drained() && again.received.size() == 2, "the replay of both receipts");
        assertThat(again.received).extracting(e -> e.getReceipt().getType())
                .containsExactly(Receipt.Type.DELIVERED, Receipt.Type.READ);
        assertThat(again.received.get(0).getReceipt().getMessageIdsList()).containsExactly(first, second);
        again.close();
        Await.until(() -> receiptRows(alice.user()) == 0, "acks to empty the inbox");
    }

    @Test
    void readAndPlayedReceiptsReachTheReadersOtherDevicesButDeliveredDoNot() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Device bobTablet = new Device(vertx, Users.link(vertx, bob.client, "tablet"));
        ByteString id = Await.result(alice.messenger.send(bob.user(), text("voice"))).getMessageId();

        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.DELIVERED, List.of(id)));
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.PLAYED, List.of(id)));
        Await.until(() -> receipts(bobTablet, Receipt.Type.PLAYED).size() == 1, "the played copy on bob's tablet");

        Envelope copy = receipts(bobTablet, Receipt.Type.PLAYED).get(0);
        assertThat(copy.getConversationUser()).as("the copy names the other party").isEqualTo(alice.credentials.getUserId());
        assertThat(copy.getReceipt().getFromDevice()).isEqualTo(1);
        assertThat(receipts(bobTablet, Receipt.Type.DELIVERED)).isEmpty();
        assertThat(receipts(bob, Receipt.Type.PLAYED)).as("the reading device gets no copy").isEmpty();
        Await.until(() -> receipts(alice, Receipt.Type.PLAYED).size() == 1, "the played receipt at alice");
    }

    @Test
    void aReaderWithReadReceiptsOffSendsNoReadReceiptButItsDevicesStillSync() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Device bobTablet = new Device(vertx, Users.link(vertx, bob.client, "tablet"));
        ByteString id = Await.result(alice.messenger.send(bob.user(), text("seen?"))).getMessageId();
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.DELIVERED, List.of(id)));
        setReadReceiptsOff(bob);

        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.READ, List.of(id)));
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.DELIVERED, List.of(id)));

        Await.until(() -> receipts(alice, Receipt.Type.DELIVERED).size() == 2, "the delivered receipts, around the read one");
        assertThat(receipts(alice, Receipt.Type.READ)).isEmpty();
        Await.until(() -> receipts(bobTablet, Receipt.Type.READ).size() == 1, "bob's own tablet to learn it was read");
    }

    @Test
    void aDeviceLinkedAfterEarlierReceiptsGetsTheNextOnes() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        ByteString id = Await.result(alice.messenger.send(bob.user(), text("hi"))).getMessageId();
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.DELIVERED, List.of(id)));

        Device aliceLaptop = new Device(vertx, Users.link(vertx, alice.client, "laptop"));
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.READ, List.of(id)));

        Await.until(() -> receipts(aliceLaptop, Receipt.Type.READ).size() == 1, "the new laptop to get the read receipt");
    }

    @Test
    void aSenderWithReadReceiptsOffGetsNoReadReceipts() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        setReadReceiptsOff(alice);
        ByteString id = Await.result(alice.messenger.send(bob.user(), text("read it"))).getMessageId();

        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.READ, List.of(id)));
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.PLAYED, List.of(id)));
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.DELIVERED, List.of(id)));

        Await.until(() -> receipts(alice, Receipt.Type.DELIVERED).size() == 1, "the delivered receipt");
        assertThat(receipts(alice, Receipt.Type.READ)).isEmpty();
        assertThat(receipts(alice, Receipt.Type.PLAYED)).isEmpty();
    }

    @Test
    void receiptsAcrossABlockAreAcceptedAndStoreNothing() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Device bobTablet = new Device(vertx, Users.link(vertx, bob.client, "tablet"));
        ByteString id = Await.result(alice.messenger.send(bob.user(), text("before the block"))).getMessageId();
        Await.result(alice.client.send(Request.newBuilder().setBlock(BlockRequest.newBuilder()
                .setUserId(bob.credentials.getUserId()))));

        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.DELIVERED, List.of(id)));
        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.READ, List.of(id)));

        assertThat(receiptRows(alice.user())).isZero();
        assertThat(receiptRows(bob.user())).as("nothing for bob's tablet either").isZero();
        assertThat(receipts(bobTablet, Receipt.Type.READ)).isEmpty();
    }

    @Test
    void aReaderWhoBlockedTheSenderSendsItNoReceipts() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        ByteString id = Await.result(alice.messenger.send(bob.user(), text("hello"))).getMessageId();
        Await.result(bob.client.send(Request.newBuilder().setBlock(BlockRequest.newBuilder()
                .setUserId(alice.credentials.getUserId()))));

        Await.result(bob.messenger.receipt(alice.user(), Receipt.Type.DELIVERED, List.of(id)));

        assertThat(receiptRows(alice.user())).isZero();
    }

    @Test
    void aReceiptToAnUnknownUserIs404() {
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));

        assertThat(code(bob.messenger.receipt(UUID.randomUUID(), Receipt.Type.READ, List.of(Ids.bytes(UUID.randomUUID())))))
                .isEqualTo(404);
    }

    @Test
    void malformedReceiptsAre400AndTooManyIdsAre413() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        ByteString to = alice.credentials.getUserId();
        ByteString good = Ids.bytes(UUID.randomUUID());

        ParleyException shortUser = (ParleyException) Await.failure(bob.client.send(receipt(ByteString.copyFromUtf8("abc"),
                Receipt.Type.READ, List.of(good))));
        int noIds = code(bob.client.send(receipt(to, Receipt.Type.READ, List.of())));
        int shortId = code(bob.client.send(receipt(to, Receipt.Type.READ, List.of(ByteString.copyFromUtf8("12345")))));
        int unknownType = code(bob.client.send(Request.newBuilder().setReceipt(ReceiptRequest.newBuilder().setToUser(to)
                .setTypeValue(7).addMessageIds(good))));
        List<ByteString> tooMany = IntStream.range(0, 101).mapToObj(i -> Ids.bytes(UUID.randomUUID())).toList();
        ParleyException overCap = (ParleyException) Await.failure(bob.client.send(receipt(to, Receipt.Type.DELIVERED, tooMany)));

        assertThat(shortUser.code()).isEqualTo(400);
        assertThat(shortUser.error().getMessage()).contains("to_user");
        assertThat(noIds).isEqualTo(400);
        assertThat(shortId).isEqualTo(400);
        assertThat(unknownType).isEqualTo(400);
        assertThat(overCap.code()).isEqualTo(413);
        assertThat(overCap.error().getMessage()).contains("at most 100");
        assertThat(receiptRows(alice.user())).isZero();
    }

    private static Request.Builder receipt(ByteString to, Receipt.Type type, List<ByteString> ids) {
        return Request.newBuilder().setReceipt(ReceiptRequest.newBuilder().setToUser(to).setType(type).addAllMessageIds(ids));
    }

    private static void setReadReceiptsOff(Device device) {
        Await.result(device.client.send(Request.newBuilder().setSetPrivacy(SetPrivacyRequest.newBuilder()
                .setPrivacy(Privacy.newBuilder().setReadReceiptsOff(true)))));
    }

    private static List<Envelope> receipts(Device device, Receipt.Type type) {
        return device.received.stream().filter(e -> e.getKind() == Envelope.Kind.RECEIPT && e.getReceipt().getType() == type)
                .toList();
    }

    private long receiptRows(UUID user) {
        return Await.result(db.preparedQuery("SELECT count(*) FROM inbox WHERE user_id = $1 AND kind = $2")
                .execute(Tuple.of(user, (short) Envelope.Kind.RECEIPT.getNumber()))).iterator().next().getLong(0);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
