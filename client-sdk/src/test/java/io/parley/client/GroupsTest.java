package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bus.Ids;
import io.parley.proto.ChangeMembersRequest;
import io.parley.proto.Envelope;
import io.parley.proto.Group;
import io.parley.proto.GroupMember;
import io.parley.proto.GroupNotice;
import io.parley.proto.MemberReceipt;
import io.parley.proto.MessageInfo;
import io.parley.proto.SendMessageResponse;
import io.parley.proto.UpdateGroupRequest;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.GroupCipher;

/** Groups through real connections: three users with two devices each, sender keys, notices, rotation, receipts. */
class GroupsTest {
    private Vertx vertx;
    private Pool db;
    private final List<GroupDevice> devices = new ArrayList<>();
    private GroupDevice alice;
    private GroupDevice aliceTablet;
    private GroupDevice bob;
    private GroupDevice bobTablet;
    private GroupDevice carol;
    private GroupDevice carolTablet;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        db = PgBuilder.pool().connectingTo(TestNode.get().postgres()).using(vertx).build();
        alice = device(Users.register(vertx, Users.uniqueName("alice")));
        aliceTablet = device(Users.link(vertx, alice.client, "tablet"));
        bob = device(Users.register(vertx, Users.uniqueName("bob")));
        bobTablet = device(Users.link(vertx, bob.client, "tablet"));
        carol = device(Users.register(vertx, Users.uniqueName("carol")));
        carolTablet = device(Users.link(vertx, carol.client, "tablet"));
    }

    @AfterEach
    void tearDown() {
        devices.forEach(GroupDevice::close);
        Await.result(vertx.close());
    }

    private GroupDevice device(io.parley.proto.DeviceCredentials credentials) {
        return device(credentials, null);
    }

    private GroupDevice device(io.parley.proto.DeviceCredentials credentials, java.nio.file.Path folder) {
        GroupDevice device = folder == null ? new GroupDevice(vertx, credentials) : new GroupDevice(vertx, credentials, folder);
        devices.add(device);
        return device;
    }

    private UUID createGroup(GroupDevice creator, GroupDevice... members) {
        List<UUID> ids = java.util.Arrays.stream(members).map(GroupDevice::user).distinct().toList();
        Group group = Await.result(creator.groups.api().create("trip " + UUID.randomUUID(), ids));
        return Ids.uuid(group.getGroupId(), "group_id");
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyMessageReachesEveryOtherMemberDeviceAndItsBodyIsStoredOnce() {
        UUID group = createGroup(alice, bob, carol);
        Group read = Await.result(bob.groups.group(group));
        assertThat(read.getMembersList()).extracting(GroupMember::getUserId)
                .containsExactly(Ids.bytes(alice.user()), Ids.bytes(bob.user()), Ids.bytes(carol.user()));
        assertThat(read.getMembers(0).getAdmin()).isTrue();
        assertThat(read.getMembersList()).allSatisfy(m -> assertThat(m.getDeviceIdsList()).containsExactly(1, 2));

        carolTablet.close();
        devices.remove(carolTablet);
        SendMessageResponse sent = Await.result(alice.groups.send(group, text("hello from alice")));
        Await.result(bobTablet.groups.send(group, text("hello from bob's tablet")));

        UUID messageId = Ids.uuid(sent.getMessageId(), "message_id");
        UUID carolId = carol.user();
        assertThat(count("SELECT count(*) FROM inbox WHERE message_id = $1 AND user_id = '" + carolId + "' AND device_id = 2 "
                + "AND content IS NULL AND body_id IS NOT NULL", messageId)).as("the offline tablet's row points at the body")
                .isEqualTo(1);
        assertThat(count("SELECT count(DISTINCT body_id) FROM inbox WHERE message_id = $1", messageId)).isEqualTo(1);
        GroupDevice carolTabletBack = device(carolTablet.credentials, carolTablet.folder);

        List<GroupDevice> othersOfAlice = List.of(aliceTablet, bob, bobTablet, carol, carolTabletBack);
        Await.until(() -> othersOfAlice.stream().allMatch(d -> d.texts(group).contains("hello from alice")),
                "every other member device, the one back online too, to decrypt alice's message");
        List<GroupDevice> othersOfBobTablet = List.of(alice, aliceTablet, bob, carol, carolTabletBack);
        Await.until(() -> othersOfBobTablet.stream().allMatch(d -> d.texts(group).contains("hello from bob's tablet")),
                "every other member device to decrypt the tablet's message");
        assertThat(alice.texts(group)).doesNotContain("hello from alice");
        assertThat(carol.messages.get(0).sender()).isEqualTo(alice.user());
        String ciphertext = carol.groupEnvelopes.get(0).getContent().toStringUtf8();
        assertThat(ciphertext).as("the server saw ciphertext only").doesNotContain("hello from alice");
    }

    @Test
    void everyChangeReachesEveryMemberDeviceAsASystemMessage() {
        GroupDevice dave = device(Users.register(vertx, Users.uniqueName("dave")));
        UUID group = createGroup(alice, bob);
        List<GroupDevice> initial = List.of(alice, aliceTablet, bob, bobTablet);
        Await.until(() -> initial.stream().allMatch(d -> d.noticed(GroupNotice.Kind.CREATED)), "the created notice");

        Await.result(alice.groups.api().changeMembers(group, ChangeMembersRequest.Action.ADD, List.of(carol.user(), dave.user())));
        Await.result(alice.groups.api().changeMembers(group, ChangeMembersRequest.Action.PROMOTE, List.of(bob.user())));
        Await.result(bob.groups.api().update(UpdateGroupRequest.newBuilder().setGroupId(Ids.bytes(group))
                .setSubject("renamed").setDescription("where we go")));
        Await.result(bob.groups.api().changeMembers(group, ChangeMembersRequest.Action.DEMOTE, List.of(alice.user())));
        Await.result(dave.groups.api().leave(group));

        List<GroupDevice> everyone = List.of(alice, aliceTablet, bob, bobTablet, carol, carolTablet, dave);
        Await.until(() -> everyone.stream().allMatch(d -> d.noticed(GroupNotice.Kind.MEMBER_LEFT)),
                "every member device, the leaver's too, to hear of the leave");
        for (GroupDevice d : List.of(alice, aliceTablet, bob, bobTablet)) {
            assertThat(d.notices).extracting(GroupNotice::getKind).containsSubsequence(GroupNotice.Kind.CREATED,
                    GroupNotice.Kind.MEMBERS_ADDED, GroupNotice.Kind.ADMINS_ADDED, GroupNotice.Kind.INFO_CHANGED,
                    GroupNotice.Kind.ADMINS_REMOVED, GroupNotice.Kind.MEMBER_LEFT);
        }
        GroupNotice renamed = bobTablet.notices.stream().filter(n -> n.getKind() == GroupNotice.Kind.INFO_CHANGED).findFirst()
                .orElseThrow();
        assertThat(renamed.getSubject()).isEqualTo("renamed");
        assertThat(renamed.getActor()).isEqualTo(Ids.bytes(bob.user()));
        assertThat(carolTablet.notices).extracting(GroupNotice::getKind).startsWith(GroupNotice.Kind.MEMBERS_ADDED);

        Group now = Await.result(carol.groups.api().get(group));
        assertThat(now.getSubject()).isEqualTo("renamed");
        assertThat(now.getMembersList()).extracting(GroupMember::getUserId)
                .containsExactly(Ids.bytes(alice.user()), Ids.bytes(bob.user()), Ids.bytes(carol.user()));
        assertThat(now.getMembersList()).extracting(GroupMember::getAdmin).containsExactly(false, true, false);
        assertThat(count("SELECT count(*) FROM group_outbox WHERE group_id = $1", group)).as("outbox drained").isZero();
    }

    @Test
    void removingAMemberRotatesEverySendersKeyAndTheRemovedMemberGetsNothingMore() throws Exception {
        UUID group = createGroup(alice, bob, carol);
        Await.result(alice.groups.send(group, text("before 1")));
        Await.result(bob.groups.send(group, text("before 2")));
        Await.until(() -> carolTablet.texts(group).containsAll(List.of("before 1", "before 2")), "carol to read both");
        UUID aliceKey = Await.result(alice.groups.distributionId(group));
        UUID bobKey = Await.result(bob.groups.distributionId(group));

        Await.result(alice.groups.api().changeMembers(group, ChangeMembersRequest.Action.REMOVE, List.of(carol.user())));
        Await.until(() -> carol.noticed(GroupNotice.Kind.MEMBERS_REMOVED) && bob.noticed(GroupNotice.Kind.MEMBERS_REMOVED),
                "the removal notice");
        int carolEnvelopes = carol.groupEnvelopes.size() + carolTablet.groupEnvelopes.size();
        Await.result(alice.groups.send(group, text("after 1")));
        Await.result(bob.groups.send(group, text("after 2")));

        assertThat(Await.result(alice.groups.distributionId(group))).as("alice's new sender key").isNotEqualTo(aliceKey);
        assertThat(Await.result(bob.groups.distributionId(group))).as("bob's new sender key").isNotEqualTo(bobKey);
        Await.until(() -> bobTablet.texts(group).containsAll(List.of("after 1", "after 2"))
                && aliceTablet.texts(group).contains("after 2"), "the remaining members to read both");
        assertThat(carol.groupEnvelopes.size() + carolTablet.groupEnvelopes.size()).as("nothing reaches carol after removal")
                .isEqualTo(carolEnvelopes);
        assertThat(carol.texts(group)).doesNotContain("after 1", "after 2");

        // Even holding the new ciphertext, carol's stored sender keys do not open it.
        Envelope after = bobTablet.groupEnvelopes.stream().filter(e -> e.getSenderUser().equals(Ids.bytes(alice.user())))
                .reduce((first, second) -> second).orElseThrow();
        GroupCipher carolsCipher = new GroupCipher(carol.keys, new SignalProtocolAddress(alice.user().toString(), 1));
        assertThatThrownBy(() -> carolsCipher.decrypt(after.getContent().toByteArray()))
                .isInstanceOf(NoSessionException.class);
    }

    @Test
    void messageInfoTellsTheSenderWhoGotAndWhoReadItsMessage() {
        UUID group = createGroup(alice, bob, carol);
        SendMessageResponse sent = Await.result(alice.groups.send(group, text("read me")));
        Await.until(() -> bob.texts(group).contains("read me") && carol.texts(group).contains("read me"), "delivery");
        Await.result(bob.groups.markRead(group, List.of(sent.getMessageId())));

        Await.until(() -> {
            MessageInfo info = Await.result(alice.groups.messageInfo(group, sent.getMessageId()));
            return info.getMembersList().stream().allMatch(m -> m.getDeliveredMs() > 0)
                    && info.getMembersList().stream().anyMatch(m -> m.getReadMs() > 0);
        }, "receipts from every member");
        MessageInfo info = Await.result(alice.groups.messageInfo(group, sent.getMessageId()));
        assertThat(info.getMembersList()).extracting(MemberReceipt::getUserId)
                .containsExactlyInAnyOrder(Ids.bytes(bob.user()), Ids.bytes(carol.user()));
        MemberReceipt bobs = info.getMembersList().stream().filter(m -> m.getUserId().equals(Ids.bytes(bob.user())))
                .findFirst().orElseThrow();
        MemberReceipt carols = info.getMembersList().stream().filter(m -> m.getUserId().equals(Ids.bytes(carol.user())))
                .findFirst().orElseThrow();
        assertThat(bobs.getReadMs()).isGreaterThanOrEqualTo(bobs.getDeliveredMs()).isPositive();
        assertThat(carols.getReadMs()).isZero();

        ParleyException notSender = (ParleyException) Await.failure(bob.groups.messageInfo(group, sent.getMessageId()));
        assertThat(notSender.code()).isEqualTo(403);
    }

    @Test
    void aMemberIsDeliveredWhenOneOfItsDevicesAcksAndNotBefore() {
        UUID group = createGroup(alice, bob, carol);
        carol.close();
        carolTablet.close();
        devices.removeAll(List.of(carol, carolTablet));
        SendMessageResponse sent = Await.result(alice.groups.send(group, text("who got it")));
        UUID messageId = Ids.uuid(sent.getMessageId(), "message_id");

        Await.until(() -> delivered(alice, group, sent, bob) > 0, "bob's devices' acks to mark it delivered to bob");
        Await.until(() -> count("SELECT count(*) FROM inbox WHERE message_id = $1 AND user_id = '" + alice.user() + "'",
                messageId) == 0, "alice's tablet to ack its copy");
        assertThat(delivered(alice, group, sent, carol)).as("no device of carol's has acked").isZero();

        GroupDevice carolTabletBack = device(carolTablet.credentials, carolTablet.folder);
        Await.until(() -> carolTabletBack.texts(group).contains("who got it"), "carol's tablet, back, to get the message");
        Await.until(() -> delivered(alice, group, sent, carol) > 0, "carol's tablet's ack to mark it delivered to carol");
        assertThat(count("SELECT count(*) FROM group_receipts WHERE message_id = $1 AND user_id = '" + alice.user() + "'",
                messageId)).as("the sender's own tablet acking its copy delivers nothing to the sender").isZero();
        MessageInfo info = Await.result(alice.groups.messageInfo(group, sent.getMessageId()));
        assertThat(info.getMembersList()).allSatisfy(m -> assertThat(m.getReadMs()).as("an ack is no read").isZero());
    }

    private static long delivered(GroupDevice sender, UUID group, SendMessageResponse sent, GroupDevice member) {
        MessageInfo info = Await.result(sender.groups.messageInfo(group, sent.getMessageId()));
        return info.getMembersList().stream().filter(m -> m.getUserId().equals(Ids.bytes(member.user())))
                .findFirst().orElseThrow().getDeliveredMs();
    }

    @Test
    void senderKeysSurviveARestartOfTheClient() {
        UUID group = createGroup(alice, bob);
        Await.result(alice.groups.send(group, text("first")));
        Await.until(() -> bob.texts(group).contains("first"), "bob to read the first");
        UUID aliceKey = Await.result(alice.groups.distributionId(group));
        bob.close();
        devices.remove(bob);
        alice.close();
        devices.remove(alice);

        GroupDevice aliceAgain = device(alice.credentials, alice.folder);
        GroupDevice bobAgain = device(bob.credentials, bob.folder);
        int oneToOneBefore = bobAgain.others.size();
        Await.result(aliceAgain.groups.send(group, text("second")));

        Await.until(() -> bobAgain.texts(group).contains("second"), "bob, restarted, to read the second with its stored key");
        assertThat(Await.result(aliceAgain.groups.distributionId(group))).isEqualTo(aliceKey);
        assertThat(bobAgain.others).hasSize(oneToOneBefore);
    }

    private long count(String sql, UUID parameter) {
        var rows = Await.result(db.preparedQuery(sql).execute(Tuple.of(parameter)));
        return rows.iterator().next().getLong(0);
    }
}
