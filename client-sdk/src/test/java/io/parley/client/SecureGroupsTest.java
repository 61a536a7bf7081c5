package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.client.signal.SecureMessenger;
import io.parley.proto.ChangeMembersRequest;
import io.parley.proto.Envelope;
import io.parley.proto.Push;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Groups over the Signal 1:1 channel: sender keys travel as PQXDH/Double Ratchet ciphertext, never in the clear. */
class SecureGroupsTest {
    private Vertx vertx;
    private final List<Member> members = new ArrayList<>();

    /** A device with SecureMessenger underneath its GroupMessenger, and the raw envelopes it was pushed. */
    private record Member(ParleyClient client, SecureMessenger secure, GroupMessenger groups, Set<String> texts,
            List<String> oneToOne, List<Envelope> raw) {
        UUID user() {
            return Ids.uuid(client.credentials().getUserId(), "user_id");
        }
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        members.forEach(m -> {
            Await.result(m.secure().messenger().flushAcks());
            Await.result(m.client().close());
        });
        Await.result(vertx.close());
    }

    private Member member(String name) throws IOException {
        Path state = Files.createTempDirectory("parley-secure-group");
        ParleyClient client = ParleyClient.create(vertx, TestNode.address(), Users.register(vertx, Users.uniqueName(name)));
        SecureMessenger secure = SecureMessenger.create(client, state);
        Set<String> texts = ConcurrentHashMap.newKeySet();
        List<String> oneToOne = new CopyOnWriteArrayList<>();
        List<Envelope> raw = new CopyOnWriteArrayList<>();
        GroupMessenger groups = GroupMessenger.over(secure, SenderKeyFiles.open(vertx, state)).onMessage(m -> texts.add(m.text()))
                .onOther(e -> oneToOne.add(e.getContent().toStringUtf8()));
        client.onPush(p -> {
            if (p.hasEnvelope()) {
                raw.add(p.getEnvelope());
            }
        });
        Await.result(client.connect());
        Await.result(secure.publishKeys());
        Member member = new Member(client, secure, groups, texts, oneToOne, raw);
        members.add(member);
        return member;
    }

    @Test
    void senderKeysGoOutEncryptedAndEveryMemberReadsTheGroupAndOneToOneMessages() throws Exception {
        Member alice = member("alice");
        Member bob = member("bob");
        Member carol = member("carol");
        UUID group = Ids.uuid(Await.result(alice.groups().api().create("sealed", List.of(bob.user(), carol.user())))
                .getGroupId(), "group_id");

        Await.result(alice.groups().send(group, "secret plans".getBytes(StandardCharsets.UTF_8)));
        Await.result(alice.secure().send(bob.user(), "just for bob".getBytes(StandardCharsets.UTF_8)));

        Await.until(() -> bob.texts().contains("secret plans") && carol.texts().contains("secret plans"),
                "both members to decrypt the group message");
        Await.until(() -> bob.oneToOne().contains("just for bob"), "the 1:1 message to come through decrypted");
        List<Envelope> keyHandouts = bob.raw().stream().filter(e -> e.getGroupId().isEmpty()
                && e.getKind() == Envelope.Kind.MESSAGE).toList();
        assertThat(keyHandouts).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getContent().startsWith(com.google.protobuf.ByteString.copyFrom(GroupMessenger.DISTRIBUTION_PREFIX)))
                    .as("the sender key is Signal ciphertext on the wire").isFalse();
            assertThat(e.getContentType()).isIn(2, 3);
        });
        assertThat(bob.oneToOne()).as("the key hand-out is not shown as a message").containsExactly("just for bob");

        Await.result(alice.groups().api().changeMembers(group, ChangeMembersRequest.Action.REMOVE, List.of(carol.user())));
        Await.result(alice.groups().send(group, "after carol".getBytes(StandardCharsets.UTF_8)));
        Await.until(() -> bob.texts().contains("after carol"), "bob to read the message after the rotation");
        assertThat(carol.texts()).doesNotContain("after carol");
        assertThat(carol.raw().stream().filter(e -> !e.getGroupId().isEmpty() && e.getKind() == Envelope.Kind.MESSAGE)
                .count()).isEqualTo(1);
    }
}
