package io.parley.client;

import io.parley.bus.Ids;
import io.parley.proto.AddBroadcastRecipientsRequest;
import io.parley.proto.BroadcastList;
import io.parley.proto.BroadcastTargets;
import io.parley.proto.BroadcastTargetsRequest;
import io.parley.proto.ChangeMembersRequest;
import io.parley.proto.CreateBroadcastListRequest;
import io.parley.proto.CreateGroupRequest;
import io.parley.proto.CreateInviteRequest;
import io.parley.proto.GetGroupRequest;
import io.parley.proto.Group;
import io.parley.proto.GroupInvite;
import io.parley.proto.GroupList;
import io.parley.proto.JoinGroupRequest;
import io.parley.proto.JoinGroupResponse;
import io.parley.proto.LeaveGroupRequest;
import io.parley.proto.ListGroupsRequest;
import io.parley.proto.Request;
import io.parley.proto.ResolveJoinRequest;
import io.parley.proto.RevokeInviteRequest;
import io.parley.proto.UpdateGroupRequest;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/** The group and broadcast-list requests of a connected client, one method each; failures carry the server's code. */
public final class GroupsApi {
    private final ParleyClient client;

    public GroupsApi(ParleyClient client) {
        this.client = client;
    }

    public Future<Group> create(CreateGroupRequest.Builder request) {
        return client.send(Request.newBuilder().setCreateGroup(request)).map(r -> r.getCreateGroup());
    }

    public Future<Group> create(String subject, List<UUID> members) {
        return create(CreateGroupRequest.newBuilder().setSubject(subject).addAllMembers(members.stream().map(Ids::bytes).toList()));
    }

    public Future<Group> get(UUID groupId) {
        return client.send(Request.newBuilder().setGetGroup(GetGroupRequest.newBuilder().setGroupId(Ids.bytes(groupId))))
                .map(r -> r.getGetGroup());
    }

    public Future<GroupList> list() {
        return client.send(Request.newBuilder().setListGroups(ListGroupsRequest.getDefaultInstance())).map(r -> r.getListGroups());
    }

    public Future<Group> update(UpdateGroupRequest.Builder request) {
        return client.send(Request.newBuilder().setUpdateGroup(request)).map(r -> r.getUpdateGroup());
    }

    public Future<Group> changeMembers(UUID groupId, ChangeMembersRequest.Action action, List<UUID> users) {
        return client.send(Request.newBuilder().setChangeMembers(ChangeMembersRequest.newBuilder()
                .setGroupId(Ids.bytes(groupId)).setAction(action).addAllUserIds(users.stream().map(Ids::bytes).toList())))
                .map(r -> r.getChangeMembers());
    }

    public Future<Void> leave(UUID groupId) {
        return client.send(Request.newBuilder().setLeaveGroup(LeaveGroupRequest.newBuilder().setGroupId(Ids.bytes(groupId))))
                .mapEmpty();
    }

    public Future<GroupInvite> createInvite(UUID groupId, boolean approvalRequired, int ttlSeconds) {
        return client.send(Request.newBuilder().setCreateInvite(CreateInviteRequest.newBuilder().setGroupId(Ids.bytes(groupId))
                .setApprovalRequired(approvalRequired).setTtlSeconds(ttlSeconds))).map(r -> r.getCreateInvite());
    }

    public Future<Void> revokeInvite(UUID groupId) {
        return client.send(Request.newBuilder().setRevokeInvite(RevokeInviteRequest.newBuilder().setGroupId(Ids.bytes(groupId))))
                .mapEmpty();
    }

    public Future<JoinGroupResponse> join(String code) {
        return client.send(Request.newBuilder().setJoinGroup(JoinGroupRequest.newBuilder().setCode(code)))
                .map(r -> r.getJoinGroup());
    }

    public Future<Group> resolveJoin(UUID groupId, UUID user, boolean approve) {
        return client.send(Request.newBuilder().setResolveJoin(ResolveJoinRequest.newBuilder().setGroupId(Ids.bytes(groupId))
                .setUserId(Ids.bytes(user)).setApprove(approve))).map(r -> r.getResolveJoin());
    }

    public Future<BroadcastList> createBroadcastList(String name, List<UUID> recipients) {
        return client.send(Request.newBuilder().setCreateBroadcastList(CreateBroadcastListRequest.newBuilder().setName(name)
                .addAllRecipients(recipients.stream().map(Ids::bytes).toList()))).map(r -> r.getCreateBroadcastList());
    }

    public Future<BroadcastList> addBroadcastRecipients(UUID listId, List<UUID> recipients) {
        return client.send(Request.newBuilder().setAddBroadcastRecipients(AddBroadcastRecipientsRequest.newBuilder()
                .setListId(Ids.bytes(listId)).addAllRecipients(recipients.stream().map(Ids::bytes).toList())))
                .map(r -> r.getAddBroadcastRecipients());
    }

    public Future<BroadcastTargets> broadcastTargets(UUID listId) {
        return client.send(Request.newBuilder().setBroadcastTargets(BroadcastTargetsRequest.newBuilder()
                .setListId(Ids.bytes(listId)))).map(r -> r.getBroadcastTargets());
    }
}
