package io.parley.groups;

import io.parley.bus.Caller;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.Group;
import io.parley.proto.GroupMember;
import io.parley.proto.InfoEditors;
import io.parley.proto.JoinRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * How every change to a group runs: lock the group row, check and write in one transaction
 * together with the notices that tell the members, then deliver those notices. Also turns a
 * group's state into the {@link Group} clients see, with each member's current devices.
 */
final class GroupChanges {
    /** What a change returns, and the notices it wrote to the outbox. */
    record Outcome<T>(T value, List<GroupStore.OutboxRow> notices) {
    }

    private final GroupStore store;
    private final Notices notices;
    private final AccountsLookup accounts;

    GroupChanges(GroupStore store, Notices notices, AccountsLookup accounts) {
        this.store = store;
        this.notices = notices;
        this.accounts = accounts;
    }

    <T> Future<T> apply(UUID groupId, BiFunction<SqlConnection, GroupState, Future<Outcome<T>>> work) {
        return store.pool().<Outcome<T>>withTransaction(tx -> store.lock(tx, groupId).compose(found -> work.apply(tx,
                        found.orElseThrow(() -> Failure.NOT_FOUND.exception("no such group")))))
                .compose(outcome -> notices.deliverAll(outcome.notices()).map(outcome.value()));
    }

    /** The next revision of the group, with its other fields as given, written. */
    Future<GroupStore.GroupRow> bump(SqlConnection tx, GroupStore.GroupRow next) {
        GroupStore.GroupRow bumped = next.withRevision(next.revision() + 1);
        return store.updateGroup(tx, bumped).map(bumped);
    }

    /** The group as its member {@code caller} sees it now (403 for anyone else). */
    Future<Group> describe(UUID groupId, Caller caller) {
        return store.state(groupId).compose(found -> {
            GroupState state = found.orElseThrow(() -> Failure.NOT_FOUND.exception("no such group"));
            return describe(state, caller);
        });
    }

    Future<Group> describe(GroupState state, Caller caller) {
        if (!state.isMember(caller.userId())) {
            return Future.failedFuture(Failure.FORBIDDEN.exception("you are not a member of this group"));
        }
        Future<List<GroupStore.JoinRequestRow>> pending = state.isAdmin(caller.userId())
                ? store.joinRequests(state.group().id()) : Future.succeededFuture(List.of());
        return Future.all(accounts.devices(state.memberIds()), pending).map(both -> {
            Map<UUID, List<Integer>> devices = both.resultAt(0);
            List<GroupStore.JoinRequestRow> requests = both.resultAt(1);
            GroupStore.GroupRow g = state.group();
            Group.Builder group = Group.newBuilder().setGroupId(Ids.bytes(g.id())).setSubject(g.subject())
                    .setDescription(g.description()).setAvatarRef(g.avatarRef()).setAnnouncementOnly(g.announcementOnly())
                    .setInfoEditors(InfoEditors.forNumber(g.infoEditors())).setRevision(g.revision())
                    .setCreatedMs(g.createdAt());
            state.members().forEach(m -> group.addMembers(GroupMember.newBuilder().setUserId(Ids.bytes(m.userId()))
                    .setAdmin(m.admin()).setJoinedMs(m.joinedAt()).addAllDeviceIds(devices.getOrDefault(m.userId(), List.of()))));
            requests.forEach(r -> group.addPending(JoinRequest.newBuilder().setUserId(Ids.bytes(r.userId()))
                    .setRequestedMs(r.requestedAt())));
            return group.build();
        });
    }
}
