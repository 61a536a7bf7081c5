package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.ChangeMembersRequest;
import io.parley.proto.CreateGroupRequest;
import io.parley.proto.DeviceRef;
import io.parley.proto.Group;
import io.parley.proto.GroupSendRequest;
import io.parley.proto.InfoEditors;
import io.parley.proto.Request;
import io.parley.proto.UpdateGroupRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Refusals of group requests, each with its documented code, and nothing changed by them. */
class GroupsBadInputTest {
    private Vertx vertx;
    private final List<GroupDevice> devices = new ArrayList<>();
    private GroupDevice admin;
    private GroupDevice member;
    private GroupDevice outsider;
    private UUID group;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        admin = device(Users.register(vertx, Users.uniqueName("admin")));
        member = device(Users.register(vertx, Users.uniqueName("member")));
        outsider = device(Users.register(vertx, Users.uniqueName("outsider")));
        group = Ids.uuid(Await.result(admin.groups.api().create("rules", List.of(member.user()))).getGroupId(), "group_id");
    }

    @AfterEach
    void tearDown() {
        devices.forEach(GroupDevice::close);
        Await.result(vertx.close());
    }

    private GroupDevice device(io.parley.proto.DeviceCredentials credentials) {
        GroupDevice device = new GroupDevice(vertx, credentials);
        devices.add(device);
        return device;
    }

    private static ParleyException refusal(Future<?> request) {
        return (ParleyException) Await.failure(request);
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<ByteString> memberIds() {
        return Await.result(admin.groups.api().get(group)).getMembersList().stream().map(m -> m.getUserId()).toList();
    }

    @Test
    void aMemberWhoIsNoAdminCannotAddRemoveOrPromote() {
        for (ChangeMembersRequest.Action action : List.of(ChangeMembersRequest.Action.ADD, ChangeMembersRequest.Action.REMOVE,
                ChangeMembersRequest.Action.PROMOTE)) {
            UUID target = action == ChangeMembersRequest.Action.ADD ? outsider.user() : admin.user();
            ParleyException refused = refusal(member.groups.api().changeMembers(group, action, List.of(target)));
            assertThat(refused.code()).as(action.name()).isEqualTo(403);
        }
        assertThat(memberIds()).containsExactly(Ids.bytes(admin.user()), Ids.bytes(member.user()));
    }

    @Test
    void onlyAdminsSendInAnAnnouncementGroup() {
        Await.result(admin.groups.api().update(UpdateGroupRequest.newBuilder().setGroupId(Ids.bytes(group))
                .setAnnouncementOnly(true)));

        ParleyException refused = refusal(member.groups.send(group, text("may I?")));
        Await.result(admin.groups.send(group, text("announcement")));

        assertThat(refused.code()).isEqualTo(403);
        assertThat(refused.getMessage()).contains("announcement");
        Await.until(() -> member.texts(group).contains("announcement"), "the admin's announcement");
    }

    @Test
    void aNonMemberCannotSendReadOrChangeTheGroup() {
        assertThat(refusal(outsider.groups.send(group, text("let me in"))).code()).isEqualTo(403);
        assertThat(refusal(outsider.groups.api().get(group)).code()).isEqualTo(403);
        assertThat(refusal(outsider.groups.api().update(UpdateGroupRequest.newBuilder().setGroupId(Ids.bytes(group))
                .setSubject("mine"))).code()).isEqualTo(403);
        assertThat(refusal(outsider.groups.api().leave(group)).code()).isEqualTo(403);
        assertThat(Await.result(admin.groups.api().get(group)).getSubject()).isEqualTo("rules");
    }

    @Test
    void anUnknownGroupIs404() {
        UUID unknown = UUID.randomUUID();
        assertThat(refusal(admin.groups.api().get(unknown)).code()).isEqualTo(404);
        assertThat(refusal(admin.groups.send(unknown, text("anyone?"))).code()).isEqualTo(404);
        assertThat(refusal(admin.groups.api().changeMembers(unknown, ChangeMembersRequest.Action.ADD,
                List.of(member.user()))).code()).isEqualTo(404);
    }

    @Test
    void infoLockedToAdminsRefusesOtherMembers() {
        Await.result(admin.groups.api().update(UpdateGroupRequest.newBuilder().setGroupId(Ids.bytes(group))
                .setInfoEditors(InfoEditors.ADMINS_ONLY)));

        ParleyException refused = refusal(member.groups.api().update(UpdateGroupRequest.newBuilder()
                .setGroupId(Ids.bytes(group)).setSubject("member's subject")));
        ParleyException settings = refusal(member.groups.api().update(UpdateGroupRequest.newBuilder()
                .setGroupId(Ids.bytes(group)).setAnnouncementOnly(true)));

        assertThat(refused.code()).isEqualTo(403);
        assertThat(settings.code()).isEqualTo(403);
        Group now = Await.result(admin.groups.api().get(group));
        assertThat(now.getSubject()).isEqualTo("rules");
        assertThat(now.getAnnouncementOnly()).isFalse();
    }

    @Test
    void malformedRequestsAre400() {
        assertThat(refusal(admin.groups.api().create(CreateGroupRequest.newBuilder().setSubject("  "))).code()).isEqualTo(400);
        assertThat(refusal(admin.groups.api().create(CreateGroupRequest.newBuilder().setSubject("x".repeat(101)))).code())
                .isEqualTo(400);
        assertThat(refusal(admin.client.send(Request.newBuilder().setGetGroup(io.parley.proto.GetGroupRequest.newBuilder()
                .setGroupId(ByteString.copyFromUtf8("short"))))).code()).isEqualTo(400);
        assertThat(refusal(admin.groups.api().update(UpdateGroupRequest.newBuilder().setGroupId(Ids.bytes(group)))).code())
                .isEqualTo(400);
        assertThat(refusal(admin.groups.api().changeMembers(group, ChangeMembersRequest.Action.REMOVE,
                List.of(admin.user()))).code()).as("removing yourself").isEqualTo(400);
        assertThat(refusal(admin.groups.api().create("ghosts", List.of(UUID.randomUUID()))).code()).isEqualTo(404);
    }

    @Test
    void aSendWithAStaleDeviceListIsRefusedWithTheMismatch() {
        DeviceRef memberPhone = DeviceRef.newBuilder().setUserId(Ids.bytes(member.user())).setDeviceId(1).build();
        DeviceRef ghost = DeviceRef.newBuilder().setUserId(Ids.bytes(outsider.user())).setDeviceId(1).build();

        ParleyException missing = refusal(admin.client.send(groupSend(List.of())));
        ParleyException extra = refusal(admin.client.send(groupSend(List.of(memberPhone, ghost))));
        ParleyException twice = refusal(admin.client.send(groupSend(List.of(memberPhone, memberPhone))));

        assertThat(missing.code()).isEqualTo(409);
        assertThat(missing.error().getMismatchesList()).singleElement().satisfies(m -> {
            assertThat(m.getUserId()).isEqualTo(Ids.bytes(member.user()));
            assertThat(m.getMissingDevicesList()).containsExactly(1);
        });
        assertThat(extra.code()).isEqualTo(410);
        assertThat(extra.error().getMismatchesList()).singleElement().satisfies(m -> {
            assertThat(m.getUserId()).isEqualTo(Ids.bytes(outsider.user()));
            assertThat(m.getExtraDevicesList()).containsExactly(1);
        });
        assertThat(twice.code()).isEqualTo(400);
        assertThat(member.groupEnvelopes).isEmpty();
    }

    @Test
    void anOversizedOrEmptyGroupMessageIsRefused() {
        DeviceRef memberPhone = DeviceRef.newBuilder().setUserId(Ids.bytes(member.user())).setDeviceId(1).build();
        Request.Builder empty = groupSend(List.of(memberPhone));
        empty.getGroupSendBuilder().setContent(ByteString.EMPTY);
        Request.Builder huge = groupSend(List.of(memberPhone));
        huge.getGroupSendBuilder().setContent(ByteString.copyFrom(new byte[64 * 1024 + 1]));

        assertThat(refusal(admin.client.send(empty)).code()).isEqualTo(400);
        assertThat(refusal(admin.client.send(huge)).code()).isEqualTo(413);
    }

    @Test
    void receiptsAndMessageInfoRefuseOutsidersAndBadInput() {
        var sent = Await.result(admin.groups.send(group, text("counted")));
        Request.Builder outsiderReceipt = receipt(group, List.of(sent.getMessageId()));
        Request.Builder unknownGroup = receipt(UUID.randomUUID(), List.of(sent.getMessageId()));
        Request.Builder none = receipt(group, List.of());
        List<ByteString> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(Ids.bytes(UUID.randomUUID()));
        }

        assertThat(refusal(outsider.client.send(outsiderReceipt)).code()).isEqualTo(403);
        assertThat(refusal(member.client.send(unknownGroup)).code()).isEqualTo(404);
        assertThat(refusal(member.client.send(none)).code()).isEqualTo(400);
        assertThat(refusal(member.client.send(receipt(group, many))).code()).isEqualTo(413);
        assertThat(refusal(admin.groups.messageInfo(group, Ids.bytes(UUID.randomUUID()))).code()).isEqualTo(404);
        assertThat(refusal(outsider.groups.messageInfo(group, sent.getMessageId())).code()).isEqualTo(403);
        var info = Await.result(admin.groups.messageInfo(group, sent.getMessageId()));
        assertThat(info.getMembersList()).extracting(m -> m.getUserId()).containsExactly(Ids.bytes(member.user()));
    }

    private Request.Builder receipt(UUID groupId, List<ByteString> messageIds) {
        return Request.newBuilder().setGroupReceipt(io.parley.proto.GroupReceiptRequest.newBuilder()
                .setGroupId(Ids.bytes(groupId)).setType(io.parley.proto.Receipt.Type.READ).addAllMessageIds(messageIds));
    }

    private Request.Builder groupSend(List<DeviceRef> devices) {
        return Request.newBuilder().setGroupSend(GroupSendRequest.newBuilder().setClientMessageId(Ids.bytes(UUID.randomUUID()))
                .setGroupId(Ids.bytes(group)).setContent(ByteString.copyFromUtf8("opaque")).addAllDevices(devices));
    }
}
