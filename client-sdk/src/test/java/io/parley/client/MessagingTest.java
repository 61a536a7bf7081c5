package io.parley.client;

import static io.parley.client.AccountsAndDevicesTest.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.AckRequest;
import io.parley.proto.BlockRequest;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.DisappearingTimer;
import io.parley.proto.Envelope;
import io.parley.proto.OutgoingEnvelope;
import io.parley.proto.Request;
import io.parley.proto.SendMessageRequest;
import io.parley.proto.SendMessageResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 1:1 messaging through real connections: delivery, inbox replay, acks, idempotency, order, edits, timers. */
class MessagingTest {
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
    void deliversLiveToEveryRecipientDeviceAndSyncsTheSendersOtherDevices() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device aliceLaptop = new Device(vertx, Users.link(vertx, alice.client, "laptop"));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Device bobTablet = new Device(vertx, Users.link(vertx, bob.client, "tablet"));

        SendMessageResponse sent = Await.result(alice.messenger.send(bob.user(), text("hello bob")));

        Await.until(() -> bob.texts().contains("hello bob") && bobTablet.texts().contains("hello bob")
                && aliceLaptop.texts().contains("hello bob"), "every device to have the message");
        Envelope atBob = bob.received.get(bob.received.size() - 1);
        assertThat(atBob.getMessageId()).isEqualTo(sent.getMessageId());
        assertThat(atBob.getSenderUser()).isEqualTo(alice.credentials.getUserId());
        assertThat(atBob.getConversationUser()).isEqualTo(alice.credentials.getUserId());
        assertThat(atBob.getServerTimestampMs()).isEqualTo(sent.getServerTimestampMs());
        assertThat(aliceLaptop.received.get(aliceLaptop.received.size() - 1).getConversationUser())
                .as("the sync copy names the other party").isEqualTo(bob.credentials.getUserId());
        assertThat(alice.texts()).as("the sending device gets no copy").isEmpty();
        assertThat(alice.messenger.devicesOf(bob.user())).containsExactly(1, 2);
    }

    @Test
    void replaysUnackedEnvelopesInOrderAfterReconnectThenNothingOnceAcked() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        DeviceCredentials bobCredentials = Users.register(vertx, Users.uniqueName("bob"));
        UUID bobId = Ids.uuid(bobCredentials.getUserId(), "user_id");
        for (int i = 0; i < 450; i++) {
            Await.result(alice.messenger.send(bobId, text("m" + i)));
        }

        Device bob = new Device(vertx, bobCredentials);
        Await.until(() -> bob.texts().size() == 450 && bob.drained(), "the replay of 450 messages over several pages");
        assertThat(bob.texts()).containsExactlyElementsOf(IntStream.range(0, 450).mapToObj(i -> "m" + i).toList());
        assertThat(bob.pushes.stream().filter(p -> p.hasInboxDrained()).findFirst().orElseThrow()
                .getInboxDrained().getReplayed()).isEqualTo(450);
        bob.close();
        Await.until(() -> inboxRows(bobId) == 0, "acks to empty the inbox");

        Device again = new Device(vertx, bobCredentials);
        Await.until(again::drained, "the second replay to end");
        assertThat(again.texts()).isEmpty();
    }

    @Test
    void eachRecipientDeviceAcksIndependently() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        DeviceCredentials tabletCredentials = Users.link(vertx, bob.client, "tablet");

        Await.result(alice.messenger.send(bob.user(), text("for both")));
        Await.until(() -> bob.texts().contains("for both"), "the phone to get it");
        Await.result(bob.messenger.flushAcks());
        Await.until(() -> inboxRows(bob.user(), 1) == 0, "the phone's ack");

        assertThat(inboxRows(bob.user(), tabletCredentials.getDeviceId())).isEqualTo(1);
        Device tablet = new Device(vertx, tabletCredentials);
        Await.until(() -> tablet.texts().contains("for both"), "the tablet to get it when it connects");
    }

    @Test
    void aRetriedSendReturnsTheFirstResultAndStoresNothingNew() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        DeviceCredentials bob = Users.register(vertx, Users.uniqueName("bob"));
        Request.Builder send = Request.newBuilder().setSendMessage(SendMessageRequest.newBuilder()
                .setClientMessageId(Ids.bytes(UUID.randomUUID())).setRecipient(bob.getUserId())
                .addEnvelopes(OutgoingEnvelope.newBuilder().setUserId(bob.getUserId()).setDeviceId(1)
                        .setContent(ByteString.copyFromUtf8("once"))));

        SendMessageResponse first = Await.result(alice.client.send(send.clone())).getSendMessage();
        SendMessageResponse retry = Await.result(alice.client.send(send.clone())).getSendMessage();

        assertThat(first.getDuplicate()).isFalse();
        assertThat(retry.getDuplicate()).isTrue();
        assertThat(retry.getMessageId()).isEqualTo(first.getMessageId());
        assertThat(retry.getServerTimestampMs()).isEqualTo(first.getServerTimestampMs());
        assertThat(inboxRows(Ids.uuid(bob.getUserId(), "user_id"))).isEqualTo(1);
    }

    @Test
    void keepsEachSendersOrderUnderConcurrentSenders() {
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        List<Device> senders = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            senders.add(new Device(vertx, Users.register(vertx, Users.uniqueName("sender" + s))));
        }
        List<Future<SendMessageResponse>> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            for (int s = 0; s < senders.size(); s++) {
                Device sender = senders.get(s);
                int n = i;
                int who = s;
                all.add(sender.messenger.send(bob.user(), text(who + ":" + n)));
            }
        }
        Await.result(Future.all(all));

        Await.until(() -> bob.texts().size() == 300, "all 300 messages");
        for (int s = 0; s < senders.size(); s++) {
            String prefix = s + ":";
            assertThat(bob.texts().stream().filter(t -> t.startsWith(prefix)).toList())
                    .containsExactlyElementsOf(IntStream.range(0, 60).mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void editsAndDeletesForEveryoneReachTheRecipientWithinTheirWindows() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        ByteString original = Await.result(alice.messenger.send(bob.user(), text("helo"))).getMessageId();

        Await.result(alice.messenger.edit(bob.user(), original, text("hello")));
        Await.result(alice.messenger.deleteForEveryone(bob.user(), original));

        Await.until(() -> bob.received.stream().anyMatch(e -> e.getKind() == Envelope.Kind.DELETE), "the delete");
        Envelope edit = bob.received.stream().filter(e -> e.getKind() == Envelope.Kind.EDIT).findFirst().orElseThrow();
        Envelope delete = bob.received.stream().filter(e -> e.getKind() == Envelope.Kind.DELETE).findFirst().orElseThrow();
        assertThat(edit.getRefersTo()).isEqualTo(original);
        assertThat(edit.getContent().toStringUtf8()).isEqualTo("hello");
        assertThat(delete.getRefersTo()).isEqualTo(original);
    }

    @Test
    void refusesEditsAndDeletesOutsideTheirWindowsOrOfOthersMessages() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        ByteString original = Await.result(alice.messenger.send(bob.user(), text("old"))).getMessageId();

        assertThat(code(bob.messenger.edit(alice.user(), original, text("mine now")))).isEqualTo(403);
        assertThat(code(alice.messenger.edit(bob.user(), Ids.bytes(UUID.randomUUID()), text("?")))).isEqualTo(404);
        TestNode.CLOCK.advance(Duration.ofMinutes(16));
        assertThat(code(alice.messenger.edit(bob.user(), original, text("too late")))).isEqualTo(409);
        Await.result(alice.messenger.deleteForEveryone(bob.user(), original));
        TestNode.CLOCK.advance(Duration.ofHours(49));
        ByteString older = original;
        assertThat(code(alice.messenger.deleteForEveryone(bob.user(), older))).isIn(404, 409);
    }

    @Test
    void disappearingTimerNotifiesBothSidesAndTheServerDeletesExpiredEnvelopes() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        DeviceCredentials bobCredentials = Users.register(vertx, Users.uniqueName("bob"));
        UUID bobId = Ids.uuid(bobCredentials.getUserId(), "user_id");

        Await.result(alice.messenger.setDisappearing(bobId, DisappearingTimer.HOURS_24));
        Await.until(() -> alice.received.stream().anyMatch(e -> e.getKind() == Envelope.Kind.SYSTEM), "alice's notice");
        Await.result(alice.messenger.send(bobId, text("gone tomorrow")));
        long expiresAt = Await.result(db.preparedQuery("SELECT max(expires_at) FROM inbox WHERE user_id = $1 AND kind = 0")
                .execute(Tuple.of(bobId))).iterator().next().getLong(0);
        assertThat(expiresAt - TestNode.CLOCK.millis()).isBetween(Duration.ofHours(23).toMillis(), Duration.ofHours(24).toMillis());

        TestNode.CLOCK.advance(Duration.ofHours(25));
        Await.until(() -> inboxRowsOfKind(bobId, 0) == 0, "the sweep to delete the expired message");

        Device bob = new Device(vertx, bobCredentials);
        Await.until(bob::drained, "bob's replay");
        assertThat(bob.texts()).isEmpty();
        assertThat(bob.received).anyMatch(e -> e.getKind() == Envelope.Kind.SYSTEM
                && e.getNotice().getDisappearing() == DisappearingTimer.HOURS_24);
    }

    @Test
    void refusesUnknownRecipientsBlockedSendersOversizedAndMalformedEnvelopes() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));

        assertThat(code(alice.messenger.send(UUID.randomUUID(), text("anyone?")))).isEqualTo(404);
        assertThat(code(alice.messenger.send(bob.user(), new byte[64 * 1024 + 1]))).isEqualTo(413);
        assertThat(code(alice.client.send(Request.newBuilder().setSendMessage(SendMessageRequest.newBuilder()
                .setClientMessageId(ByteString.copyFromUtf8("short")).setRecipient(bob.credentials.getUserId())
                .addEnvelopes(OutgoingEnvelope.newBuilder().setUserId(bob.credentials.getUserId()).setDeviceId(1)
                        .setContent(ByteString.copyFromUtf8("x"))))))).isEqualTo(400);
        assertThat(code(alice.client.send(Request.newBuilder().setSendMessage(SendMessageRequest.newBuilder()
                .setClientMessageId(Ids.bytes(UUID.randomUUID())).setRecipient(bob.credentials.getUserId()))))).isEqualTo(400);

        Await.result(bob.client.send(Request.newBuilder().setBlock(BlockRequest.newBuilder()
                .setUserId(alice.credentials.getUserId()))));
        assertThat(code(alice.messenger.send(bob.user(), text("let me in")))).isEqualTo(403);
        assertThat(bob.texts()).isEmpty();
        assertThat(inboxRowsOfKind(bob.user(), 0)).isZero();
    }

    @Test
    void answersAStaleDeviceListWith409Or410NamingTheDevices() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Users.link(vertx, bob.client, "tablet");

        ParleyException missing = (ParleyException) Await.failure(alice.client.send(rawSend(bob, 1)));
        ParleyException extra = (ParleyException) Await.failure(alice.client.send(rawSend(bob, 1, 2, 9)));

        assertThat(missing.code()).isEqualTo(409);
        assertThat(missing.error().getMismatchesList()).singleElement()
                .satisfies(m -> assertThat(m.getMissingDevicesList()).containsExactly(2));
        assertThat(extra.code()).isEqualTo(410);
        assertThat(extra.error().getMismatches(0).getExtraDevicesList()).containsExactly(9);
    }

    @Test
    void readsTheRightNumberOfEnvelopesForTheWrongDevicesAsAMismatch() {
        // As many envelopes as the recipient has devices, but not one for each: the count alone must not pass.
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Users.link(vertx, bob.client, "tablet");

        ParleyException twice = (ParleyException) Await.failure(alice.client.send(rawSend(bob, 1, 1)));
        ParleyException swapped = (ParleyException) Await.failure(alice.client.send(rawSend(bob, 1, 9)));

        assertThat(twice.code()).isEqualTo(400);
        assertThat(swapped.code()).isEqualTo(410);
        assertThat(swapped.error().getMismatches(0).getMissingDevicesList()).containsExactly(2);
        assertThat(swapped.error().getMismatches(0).getExtraDevicesList()).containsExactly(9);
        assertThat(inboxRows(bob.user())).isZero();
    }

    @Test
    void ignoresAcksOfEnvelopesThatAreNotTheDevices() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        DeviceCredentials bob = Users.register(vertx, Users.uniqueName("bob"));
        UUID bobId = Ids.uuid(bob.getUserId(), "user_id");
        Await.result(alice.messenger.send(bobId, text("not yours to ack")));
        long sequence = Await.result(db.preparedQuery("SELECT seq FROM inbox WHERE user_id = $1").execute(Tuple.of(bobId)))
                .iterator().next().getLong(0);

        Await.result(alice.client.send(Request.newBuilder().setAck(AckRequest.newBuilder().addSequences(sequence))));

        assertThat(inboxRows(bobId)).isEqualTo(1);
    }

    private Request.Builder rawSend(Device to, int... devices) {
        SendMessageRequest.Builder send = SendMessageRequest.newBuilder().setClientMessageId(Ids.bytes(UUID.randomUUID()))
                .setRecipient(to.credentials.getUserId());
        for (int d : devices) {
            send.addEnvelopes(OutgoingEnvelope.newBuilder().setUserId(to.credentials.getUserId()).setDeviceId(d)
                    .setContent(ByteString.copyFromUtf8("x")));
        }
        return Request.newBuilder().setSendMessage(send);
    }

    private long inboxRows(UUID user) {
        return Await.result(db.preparedQuery("SELECT count(*) FROM inbox WHERE user_id = $1").execute(Tuple.of(user)))
                .iterator().next().getLong(0);
    }

    private long inboxRows(UUID user, int device) {
        return Await.result(db.preparedQuery("SELECT count(*) FROM inbox WHERE user_id = $1 AND device_id = $2")
                .execute(Tuple.of(user, device))).iterator().next().getLong(0);
    }

    private long inboxRowsOfKind(UUID user, int kind) {
        return Await.result(db.preparedQuery("SELECT count(*) FROM inbox WHERE user_id = $1 AND kind = $2")
                .execute(Tuple.of(user, (short) kind))).iterator().next().getLong(0);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
