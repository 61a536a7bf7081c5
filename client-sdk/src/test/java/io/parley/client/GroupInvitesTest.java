package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.proto.Group;
import io.parley.proto.GroupInvite;
import io.parley.proto.GroupMember;
import io.parley.proto.GroupNotice;
import io.parley.proto.JoinGroupResponse;
import io.parley.proto.JoinRequest;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Invite links: join, join with approval, revoke, expiry. */
class GroupInvitesTest {
    private Vertx vertx;
    private final List<GroupDevice> devices = new ArrayList<>();
    private GroupDevice admin;
    private GroupDevice member;
    private GroupDevice joiner;
    private UUID group;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        admin = device(Users.register(vertx, Users.uniqueName("admin")));
        member = device(Users.register(vertx, Users.uniqueName("member")));
        joiner = device(Users.register(vertx, Users.uniqueName("joiner")));
        group = Ids.uuid(Await.result(admin.groups.api().create("open house", List.of(member.user()))).getGroupId(), "group_id");
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

    private static int code(Throwable failure) {
        return ((ParleyException) failure).code();
    }

    private List<UUID> members() {
        return Await.result(admin.groups.api().get(group)).getMembersList().stream()
                .map(m -> Ids.uuid(m.getUserId(), "user_id")).toList();
    }

    @Test
    void anyoneWithTheLinkJoinsAndEveryMemberHearsOfIt() {
        GroupInvite invite = Await.result(admin.groups.api().createInvite(group, false, 0));

        JoinGroupResponse joined = Await.result(joiner.groups.api().join(invite.getCode()));

        assertThat(joined.getPending()).isFalse();
        assertThat(joined.getGroupId()).isEqualTo(Ids.bytes(group));
        assertThat(members()).containsExactly(admin.user(), member.user(), joiner.user());
        Await.until(() -> List.of(admin, member, joiner).stream().allMatch(d -> d.noticed(GroupNotice.Kind.JOINED_BY_LINK)),
                "every member, the joiner too, to hear of the join");
        Await.result(joiner.groups.send(group, "hi all".getBytes()));
        Await.until(() -> admin.texts(group).contains("hi all") && member.texts(group).contains("hi all"), "the joiner's message");
    }

    @Test
    void aLinkNeedingApprovalWaitsForAnAdmin() {
        GroupDevice rejected = device(Users.register(vertx, Users.uniqueName("rejected")));
        GroupInvite invite = Await.result(admin.groups.api().createInvite(group, true, 0));

        JoinGroupResponse asked = Await.result(joiner.groups.api().join(invite.getCode()));
        Await.result(rejected.groups.api().join(invite.getCode()));
        Group pending = Await.result(admin.groups.api().get(group));
        Group seenByMember = Await.result(member.groups.api().get(group));

        assertThat(asked.getPending()).isTrue();
        assertThat(pending.getPendingList()).extracting(JoinRequest::getUserId)
                .containsExactlyInAnyOrder(Ids.bytes(joiner.user()), Ids.bytes(rejected.user()));
        assertThat(seenByMember.getPendingList()).as("only admins see requests").isEmpty();
        assertThat(code(Await.failure(member.groups.api().resolveJoin(group, joiner.user(), true)))).isEqualTo(403);
        Await.until(() -> admin.noticed(GroupNotice.Kind.JOIN_REQUESTED), "the admin to hear of the request");
        assertThat(member.noticed(GroupNotice.Kind.JOIN_REQUESTED)).isFalse();

        Group approved = Await.result(admin.groups.api().resolveJoin(group, joiner.user(), true));
        Await.result(admin.groups.api().resolveJoin(group, rejected.user(), false));

        assertThat(approved.getMembersList()).extracting(GroupMember::getUserId).contains(Ids.bytes(joiner.user()));
        assertThat(members()).containsExactly(admin.user(), member.user(), joiner.user());
        assertThat(Await.result(admin.groups.api().get(group)).getPendingList()).isEmpty();
        Await.until(() -> joiner.noticed(GroupNotice.Kind.JOINED_BY_LINK) && rejected.noticed(GroupNotice.Kind.JOIN_REJECTED),
                "both to hear the answer");
        assertThat(code(Await.failure(admin.groups.api().resolveJoin(group, rejected.user(), true))))
                .as("no request left").isEqualTo(404);
    }

    @Test
    void aRevokedOrReplacedLinkIs410AndAnUnknownOne404() {
        GroupInvite first = Await.result(admin.groups.api().createInvite(group, false, 0));
        GroupInvite second = Await.result(admin.groups.api().createInvite(group, false, 0));
        assertThat(code(Await.failure(joiner.groups.api().join(first.getCode())))).as("replaced").isEqualTo(410);

        Await.result(admin.groups.api().revokeInvite(group));

        assertThat(code(Await.failure(joiner.groups.api().join(second.getCode())))).as("revoked").isEqualTo(410);
        assertThat(code(Await.failure(joiner.groups.api().join("no-such-code")))).isEqualTo(404);
        assertThat(code(Await.failure(joiner.groups.api().join("")))).isEqualTo(400);
        assertThat(code(Await.failure(member.groups.api().createInvite(group, false, 0)))).as("not an admin").isEqualTo(403);
        assertThat(members()).containsExactly(admin.user(), member.user());
    }

    @Test
    void anExpiredLinkIs410() {
        GroupInvite invite = Await.result(admin.groups.api().createInvite(group, false, 60));

        TestNode.CLOCK.advance(Duration.ofSeconds(61));

        assertThat(code(Await.failure(joiner.groups.api().join(invite.getCode())))).isEqualTo(410);
        assertThat(members()).containsExactly(admin.user(), member.user());
        assertThat(code(Await.failure(admin.groups.api().createInvite(group, false, 31 * 24 * 3600)))).isEqualTo(400);
    }
}
