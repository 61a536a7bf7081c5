package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.AckRequest;
import io.parley.proto.AddBroadcastRecipientsRequest;
import io.parley.proto.BroadcastTargetsRequest;
import io.parley.proto.ChangeMembersRequest;
import io.parley.proto.CreateBroadcastListRequest;
import io.parley.proto.CreateGroupRequest;
import io.parley.proto.CreateInviteRequest;
import io.parley.proto.DeleteMessageRequest;
import io.parley.proto.DeviceRef;
import io.parley.proto.EditMessageRequest;
import io.parley.proto.Envelope;
import io.parley.proto.GetGroupRequest;
import io.parley.proto.Group;
import io.parley.proto.GroupReceiptRequest;
import io.parley.proto.GroupSendRequest;
import io.parley.proto.JoinGroupRequest;
import io.parley.proto.LeaveGroupRequest;
import io.parley.proto.MessageInfoRequest;
import io.parley.proto.OutgoingEnvelope;
import io.parley.proto.Receipt;
import io.parley.proto.Request;
import io.parley.proto.ResolveJoinRequest;
import io.parley.proto.RevokeInviteRequest;
import io.parley.proto.UpdateGroupRequest;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An authenticated user, Mallory, naming what belongs to others: Alice's group, her message to
 * Bob, her broadcast list, Bob's inbox. Every request is refused (403 or 404), and afterwards
 * Alice's group, list and message and Bob's inbox are as they were.
 */
class CrossAccountTest {
    private Vertx vertx;
    private Device alice;
    private Device bob;
    private Device mallory;
    private UUID bobId;
    private UUID malloryId;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        mallory = new Device(vertx, Users.register(vertx, Users.uniqueName("mallory")));
        bobId = Ids.uuid(bob.client.credentials().getUserId(), "user_id");
        malloryId = Ids.uuid(mallory.client.credentials().getUserId(), "user_id");
    }

    @AfterEach
    void tearDown() {
        alice.close();
        mallory.close();
        Await.result(vertx.close());
    }

    @Test
    void requestsNamingAnotherUsersGroupListMessageOrInboxAreRefusedAndChangeNothing() {
        ByteString bobUser = Ids.bytes(bobId);
        ByteString malloryUser = Ids.bytes(malloryId);
        // Bob is offline while Alice writes, so her message waits in his inbox during the attempts.
        bob.close();
        ByteString message = Await.result(alice.messenger.send(bobId, "lunch at noon".getBytes(StandardCharsets.UTF_8)))
                .getMessageId();
        Group group = ok(alice, Request.newBuilder().setCreateGroup(CreateGroupRequest.newBuilder().setSubject("family")
                .addMembers(bobUser))).getCreateGroup();
        ByteString groupId = group.getGroupId();
        ByteString groupMessage = ok(alice, Request.newBuilder().setGroupSend(GroupSendRequest.newBuilder()
                .setClientMessageId(Ids.bytes(UUID.randomUUID())).setGroupId(groupId)
                .setContent(ByteString.copyFromUtf8("sender-key ciphertext"))
                .addDevices(DeviceRef.newBuilder().setUserId(bobUser).setDeviceId(1)))).getGroupSend().getMessageId();
        ByteString listId = ok(alice, Request.newBuilder().setCreateBroadcastList(CreateBroadcastListRequest.newBuilder()
                .setName("news").addRecipients(bobUser))).getCreateBroadcastList().getListId();

        Map<String, Request.Builder> attempts = new LinkedHashMap<>();
        attempts.put("read her group", Request.newBuilder().setGetGroup(GetGroupRequest.newBuilder().setGroupId(groupId)));
        attempts.put("rename her group", Request.newBuilder().setUpdateGroup(UpdateGroupRequest.newBuilder()
                .setGroupId(groupId).setSubject("owned")));
        attempts.put("add himself to her group", Request.newBuilder().setChangeMembers(ChangeMembersRequest.newBuilder()
                .setGroupId(groupId).setAction(ChangeMembersRequest.Action.ADD).addUserIds(malloryUser)));
        attempts.put("remove Bob from her group", Request.newBuilder().setChangeMembers(ChangeMembersRequest.newBuilder()
                .setGroupId(groupId).setAction(ChangeMembersRequest.Action.REMOVE).addUserIds(bobUser)));
        attempts.put("make an invite to her group", Request.newBuilder().setCreateInvite(CreateInviteRequest.newBuilder()
                .setGroupId(groupId)));
        attempts.put("revoke her group's invite", Request.newBuilder().setRevokeInvite(RevokeInviteRequest.newBuilder()
                .setGroupId(groupId)));
        attempts.put("approve himself into her group", Request.newBuilder().setResolveJoin(ResolveJoinRequest.newBuilder()
                .setGroupId(groupId).setUserId(malloryUser).setApprove(true)));
        attempts.put("leave a group he is not in", Request.newBuilder().setLeaveGroup(LeaveGroupRequest.newBuilder()
                .setGroupId(groupId)));
        attempts.put("send to her group", Request.newBuilder().setGroupSend(GroupSendRequest.newBuilder()
                .setClientMessageId(Ids.bytes(UUID.randomUUID())).setGroupId(groupId)
                .setContent(ByteString.copyFromUtf8("spam")).addDevices(DeviceRef.newBuilder().setUserId(bobUser)
                        .setDeviceId(1))));
        attempts.put("confirm reading her group message", Request.newBuilder().setGroupReceipt(GroupReceiptRequest
                .newBuilder().setGroupId(groupId).setType(Receipt.Type.READ).addMessageIds(groupMessage)));
        attempts.put("read who saw her group message", Request.newBuilder().setMessageInfo(MessageInfoRequest.newBuilder()
                .setGroupId(groupId).setMessageId(groupMessage)));
        attempts.put("join with a made-up invite code", Request.newBuilder().setJoinGroup(JoinGroupRequest.newBuilder()
                .setCode("not-an-invite-" + UUID.randomUUID())));
        ByteString accomplice = Users.register(vertx, Users.uniqueName("accomplice")).getUserId();
        attempts.put("add his accomplice to her broadcast list", Request.newBuilder().setAddBroadcastRecipients(
                AddBroadcastRecipientsRequest.newBuilder().setListId(listId).addRecipients(accomplice)));
        attempts.put("read her broadcast list", Request.newBuilder().setBroadcastTargets(BroadcastTargetsRequest
                .newBuilder().setListId(listId)));
        attempts.put("edit her message to Bob", Request.newBuilder().setEditMessage(EditMessageRequest.newBuilder()
                .setClientMessageId(Ids.bytes(UUID.randomUUID())).setRecipient(bobUser).setMessageId(message)
                .addEnvelopes(OutgoingEnvelope.newBuilder().setUserId(bobUser).setDeviceId(1)
                        .setContent(ByteString.copyFromUtf8("lunch cancelled")))));
        attempts.put("delete her message to Bob", Request.newBuilder().setDeleteMessage(DeleteMessageRequest.newBuilder()
                .setClientMessageId(Ids.bytes(UUID.randomUUID())).setRecipient(bobUser).setMessageId(message)
                .addEnvelopes(OutgoingEnvelope.newBuilder().setUserId(bobUser).setDeviceId(1))));

        List<String> accepted = new ArrayList<>();
        attempts.forEach((what, request) -> {
            Throwable failure = Await.failure(mallory.client.send(request));
            if (!(failure instanceof ParleyException refused) || (refused.code() != 403 && refused.code() != 404)) {
                accepted.add(what + ": " + failure);
            }
        });
        // Acks name inbox rows by number: Mallory acking a wide range must touch only his own inbox.
        for (long from = 1; from <= 5_000; from += 1_000) {
            AckRequest.Builder acks = AckRequest.newBuilder();
            for (long sequence = from; sequence < from + 1_000; sequence++) {
                acks.addSequences(sequence);
            }
            Await.result(mallory.client.send(Request.newBuilder().setAck(acks)));
        }

        assertThat(accepted).as("attempts that were not refused with 403 or 404").isEmpty();
        Group after = ok(alice, Request.newBuilder().setGetGroup(GetGroupRequest.newBuilder().setGroupId(groupId)))
                .getGetGroup();
        assertThat(after.getSubject()).isEqualTo("family");
        assertThat(after.getMembersList()).extracting(m -> m.getUserId()).containsExactlyInAnyOrder(
                alice.client.credentials().getUserId(), bobUser);
        assertThat(ok(alice, Request.newBuilder().setBroadcastTargets(BroadcastTargetsRequest.newBuilder()
                .setListId(listId))).getBroadcastTargets().getEligibleList()).doesNotContain(malloryUser, accomplice);
        Device bobAgain = new Device(vertx, bob.client.credentials());
        Await.until(() -> bobAgain.received.stream().anyMatch(e -> e.getMessageId().equals(message)
                && e.getKind() == Envelope.Kind.MESSAGE), "Alice's message, still in Bob's inbox");
        assertThat(bobAgain.received).noneMatch(e -> e.getKind() == Envelope.Kind.EDIT || e.getKind() == Envelope.Kind.DELETE);
        bobAgain.close();
        System.out.printf("cross-account: %d attempts on another user's group, list, message and inbox, all refused%n",
                attempts.size() + 1);
    }

    private static io.parley.proto.Response ok(Device device, Request.Builder request) {
        return Await.result(device.client.send(request));
    }
}
