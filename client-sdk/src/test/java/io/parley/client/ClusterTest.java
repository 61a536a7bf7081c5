package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.proto.DeviceCredentials;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Three node processes in one Hazelcast cluster on loopback: a device on one node reaches a device on another. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {
    @TempDir
    static Path root;

    private ClusterNodes cluster;
    private Vertx vertx;

    @BeforeAll
    void startCluster() throws Exception {
        vertx = Vertx.vertx();
        cluster = new ClusterNodes(root, 3);
        for (int i = 0; i < 3; i++) {
            cluster.start(i);
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        try {
            cluster.close();
        } finally {
            Await.result(vertx.close());
        }
    }

    private record Peer(DeviceCredentials credentials, ParleyClient client, Messenger messenger, List<String> texts) {
        UUID user() {
            return Ids.uuid(credentials.getUserId(), "user_id");
        }
    }

    private Peer connect(DeviceCredentials credentials, int node) {
        ParleyClient client = ParleyClient.create(vertx, cluster.address(node), credentials);
        List<String> texts = new CopyOnWriteArrayList<>();
        Messenger messenger = new Messenger(client).onEnvelope(e -> texts.add(e.getContent().toStringUtf8()));
        Await.result(client.connect());
        return new Peer(credentials, client, messenger, texts);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void devicesOnDifferentNodesReachEachOtherBothWays() throws Exception {
        Peer alice = connect(cluster.register(vertx, 0, "alice"), 0);
        Peer bob = connect(cluster.register(vertx, 1, "bob"), 1);

        Await.result(alice.messenger().send(bob.user(), text("from node 0 to node 1")));
        Await.result(bob.messenger().send(alice.user(), text("from node 1 to node 0")));

        Await.until(() -> bob.texts().contains("from node 0 to node 1"), "bob on node 1 gets alice's message");
        Await.until(() -> alice.texts().contains("from node 1 to node 0"), "alice on node 0 gets bob's message");
        Await.result(alice.client().close());
        Await.result(bob.client().close());
    }

    @Test
    void aDeviceThatReconnectsToAnotherNodeGetsItsInboxThere() throws Exception {
        Peer alice = connect(cluster.register(vertx, 0, "alice"), 0);
        DeviceCredentials bobCredentials = cluster.register(vertx, 2, "bob");
        Peer bobOnNode1 = connect(bobCredentials, 1);
        Await.result(alice.messenger().send(bobOnNode1.user(), text("while on node 1")));
        Await.until(() -> bobOnNode1.texts().contains("while on node 1"), "bob gets the first message on node 1");
        Await.result(bobOnNode1.messenger().flushAcks());
        Await.result(bobOnNode1.client().close());

        for (int i = 0; i < 5; i++) {
            Await.result(alice.messenger().send(bobOnNode1.user(), text("while offline " + i)));
        }
        Peer bobOnNode2 = connect(bobCredentials, 2);

        Await.until(() -> bobOnNode2.texts().size() == 5, "bob's five queued messages on node 2");
        assertThat(bobOnNode2.texts()).containsExactly("while offline 0", "while offline 1", "while offline 2",
                "while offline 3", "while offline 4");
        Await.result(alice.client().close());
        Await.result(bobOnNode2.client().close());
    }

    @Test
    void aSecondConnectionOnAnotherNodeReplacesTheFirst() throws Exception {
        DeviceCredentials carol = cluster.register(vertx, 0, "carol");
        Peer first = connect(carol, 0);
        Peer second = connect(carol, 2);

        Await.until(() -> Integer.valueOf(4409).equals(first.client().finalCloseCode()),
                "the connection on node 0 is closed as replaced (4409)");
        Peer dave = connect(cluster.register(vertx, 1, "dave"), 1);
        Await.result(dave.messenger().send(second.user(), text("to the newer connection")));
        Await.until(() -> second.texts().contains("to the newer connection"), "the connection on node 2 gets messages");
        assertThat(first.texts()).doesNotContain("to the newer connection");
        Await.result(second.client().close());
        Await.result(dave.client().close());
    }

    @Test
    void presenceTypingAndReceiptsCrossNodes() throws Exception {
        Peer alice = connect(cluster.register(vertx, 0, "alice"), 0);
        List<io.parley.proto.PresenceUpdate> updates = new CopyOnWriteArrayList<>();
        List<io.parley.proto.TypingUpdate> typing = new CopyOnWriteArrayList<>();
        List<io.parley.proto.Envelope> receipts = new CopyOnWriteArrayList<>();
        Presence watching = new Presence(alice.client()).onUpdate(updates::add).onTyping(typing::add);
        alice.client().onPush(p -> {
            if (p.hasEnvelope() && p.getEnvelope().getKind() == io.parley.proto.Envelope.Kind.RECEIPT) {
                receipts.add(p.getEnvelope());
            }
        });
        DeviceCredentials bobCredentials = cluster.register(vertx, 1, "bob");
        UUID bobId = Ids.uuid(bobCredentials.getUserId(), "user_id");
        Await.result(watching.subscribe(bobId));

        Peer bob = connect(bobCredentials, 2);
        Await.until(() -> updates.stream().anyMatch(io.parley.proto.PresenceUpdate::getOnline),
                "alice on node 0 is told bob came online on node 2");
        Await.result(new Presence(bob.client()).typing(alice.user(), true));
        Await.until(() -> typing.stream().anyMatch(io.parley.proto.TypingUpdate::getTyping),
                "alice on node 0 sees bob typing on node 2");
        com.google.protobuf.ByteString id = Await.result(alice.messenger().send(bobId, text("read me"))).getMessageId();
        Await.until(() -> bob.texts().contains("read me"), "bob gets the message on node 2");
        Await.result(bob.messenger().receipt(alice.user(), io.parley.proto.Receipt.Type.READ, List.of(id)));
        Await.until(() -> !receipts.isEmpty(), "alice on node 0 gets bob's read receipt from node 2");
        Await.result(bob.client().close());
        Await.until(() -> updates.stream().anyMatch(u -> !u.getOnline() && u.getLastSeenMs() > 0),
                "alice is told bob went offline, with a last seen");
        Await.result(alice.client().close());
    }

    @Test
    void aCallBetweenDevicesOnDifferentNodesRingsBothDevicesAnswersRelaysAndEnds() throws Exception {
        CallDevice alice = new CallDevice(vertx, cluster.address(0), cluster.register(vertx, 0, "alice"));
        DeviceCredentials bobCredentials = cluster.register(vertx, 1, "bob");
        CallDevice bobPhone = new CallDevice(vertx, cluster.address(1), bobCredentials);
        String linkCode = Await.result(bobPhone.client.send(io.parley.proto.Request.newBuilder().setCreateLinkCode(
                io.parley.proto.CreateLinkCodeRequest.getDefaultInstance()))).getCreateLinkCode().getCode();
        AccountsApi accounts = new AccountsApi(vertx, cluster.address(2));
        CallDevice bobLaptop = new CallDevice(vertx, cluster.address(2), Await.result(accounts.link(
                io.parley.proto.LinkDeviceRequest.newBuilder().setCode(linkCode).setDeviceName("laptop").build())));
        accounts.close();

        UUID call = Calls.id(Await.result(alice.calls.offer(bobPhone.user(), false)).getCallId());
        bobPhone.awaitEvent(call, io.parley.proto.CallEvent.Kind.INCOMING);
        bobLaptop.awaitEvent(call, io.parley.proto.CallEvent.Kind.INCOMING);
        Await.result(bobLaptop.calls.accept(call));
        alice.awaitEvent(call, io.parley.proto.CallEvent.Kind.ACCEPTED);
        bobPhone.awaitEvent(call, io.parley.proto.CallEvent.Kind.ANSWERED_ELSEWHERE);
        Await.result(alice.calls.signal(call, bobLaptop.user(), bobLaptop.device(), text("offer from node 0")));
        Await.result(bobLaptop.calls.signal(call, alice.user(), alice.device(), text("answer from node 2")));
        Await.until(() -> bobLaptop.signals.size() == 1 && alice.signals.size() == 1, "the blobs across nodes");
        Await.result(bobLaptop.calls.hangUp(call));

        assertThat(alice.awaitEvent(call, io.parley.proto.CallEvent.Kind.ENDED).getOutcome())
                .isEqualTo(io.parley.proto.CallOutcome.ANSWERED);
        assertThat(bobLaptop.signals.get(0).getBlob().toStringUtf8()).isEqualTo("offer from node 0");
        assertThat(alice.signals.get(0).getBlob().toStringUtf8()).isEqualTo("answer from node 2");
        alice.close();
        bobPhone.close();
        bobLaptop.close();
    }
}
