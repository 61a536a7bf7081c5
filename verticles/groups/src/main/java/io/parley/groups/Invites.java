package io.parley.groups;

import io.parley.bus.Caller;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.CreateInviteRequest;
import io.parley.proto.Group;
import io.parley.proto.GroupInvite;
import io.parley.proto.GroupNotice;
import io.parley.proto.JoinGroupRequest;
import io.parley.proto.JoinGroupResponse;
import io.parley.proto.Ok;
import io.parley.proto.ResolveJoinRequest;
import io.parley.proto.RevokeInviteRequest;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Invite links: an admin makes one (replacing the previous) or revokes it; anyone holding a live
 * code joins, or asks to join when the link needs approval, and an admin approves or rejects.
 * A revoked or expired code answers 410; an unknown one 404.
 */
final class Invites {
    private static final int CODE_BYTES = 16;
    private static final int MAX_CODE_CHARS = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GroupStore store;
    private final GroupChanges changes;
    private final Notices notices;
    private final GroupsConfig config;
    private final Clock clock;

    Invites(GroupStore store, GroupChanges changes, Notices notices, GroupsConfig config, Clock clock) {
        this.store = store;
        this.changes = changes;
        this.notices = notices;
        this.config = config;
        this.clock = clock;
    }

    Future<GroupInvite> create(Caller caller, CreateInviteRequest request) {
        UUID groupId = Ids.uuid(request.getGroupId(), "group_id");
        long ttlMs = request.getTtlSeconds() == 0 ? config.defaultInviteTtl().toMillis() : request.getTtlSeconds() * 1000L;
        if (ttlMs > config.maxInviteTtl().toMillis()) {
            throw Failure.BAD_REQUEST.exception("an invite lives at most " + config.maxInviteTtl().toSeconds() + " s");
        }
        byte[] random = new byte[CODE_BYTES];
        RANDOM.nextBytes(random);
        long now = clock.millis();
        GroupStore.InviteRow invite = new GroupStore.InviteRow(Base64.getUrlEncoder().withoutPadding().encodeToString(random),
                groupId, request.getApprovalRequired(), now + ttlMs, null);
        return changes.apply(groupId, (tx, state) -> {
            requireAdmin(state, caller);
            return store.revokeInvites(tx, groupId, now)
                    .compose(v -> store.insertInvite(tx, invite, caller.userId()))
                    .compose(v -> changes.bump(tx, state.group()))
                    .compose(g -> notices.record(tx, g, caller, GroupNotice.Kind.INVITE_CHANGED, List.of(), state.memberIds()))
                    .map(n -> new GroupChanges.Outcome<>(GroupInvite.newBuilder().setCode(invite.code())
                            .setExpiresMs(invite.expiresAt()).setApprovalRequired(invite.approvalRequired()).build(), List.of(n)));
        });
    }

    Future<Ok> revoke(Caller caller, RevokeInviteRequest request) {
        UUID groupId = Ids.uuid(request.getGroupId(), "group_id");
        return changes.apply(groupId, (tx, state) -> {
            requireAdmin(state, caller);
            return store.revokeInvites(tx, groupId, clock.millis())
                    .compose(v -> changes.bump(tx, state.group()))
                    .compose(g -> notices.record(tx, g, caller, GroupNotice.Kind.INVITE_CHANGED, List.of(), state.memberIds()))
                    .map(n -> new GroupChanges.Outcome<>(Ok.getDefaultInstance(), List.of(n)));
        });
    }

    Future<JoinGroupResponse> join(Caller caller, JoinGroupRequest request) {
        String code = request.getCode().strip();
        if (code.isEmpty() || code.length() > MAX_CODE_CHARS) {
            throw Failure.BAD_REQUEST.exception("an invite code has 1 to " + MAX_CODE_CHARS + " characters");
        }
        return store.invite(code).compose(found -> {
            GroupStore.InviteRow invite = found.orElseThrow(() -> Failure.NOT_FOUND.exception("no such invite"));
            if (invite.revokedAt() != null) {
                throw Failure.GONE.exception("this invite link was revoked");
            }
            if (clock.millis() >= invite.expiresAt()) {
                throw Failure.GONE.exception("this invite link has expired");
            }
            JoinGroupResponse.Builder response = JoinGroupResponse.newBuilder().setGroupId(Ids.bytes(invite.groupId()));
            return changes.apply(invite.groupId(), (tx, state) -> {
                if (state.isMember(caller.userId())) {
                    return Future.succeededFuture(new GroupChanges.Outcome<>(response.build(), List.of()));
                }
                long now = clock.millis();
                if (invite.approvalRequired()) {
                    List<UUID> admins = state.members().stream().filter(GroupStore.MemberRow::admin)
                            .map(GroupStore.MemberRow::userId).toList();
                    return store.insertJoinRequest(tx, state.group().id(), caller.userId(), now).compose(fresh -> fresh
                            ? notices.record(tx, state.group(), caller, GroupNotice.Kind.JOIN_REQUESTED,
                                    List.of(caller.userId()), admins).map(List::of)
                            : Future.succeededFuture(List.<GroupStore.OutboxRow>of()))
                            .map(rows -> new GroupChanges.Outcome<>(response.setPending(true).build(), rows));
                }
                return admit(tx, state, caller, caller.userId())
                        .map(rows -> new GroupChanges.Outcome<>(response.build(), rows));
            });
        });
    }

    Future<Group> resolve(Caller caller, ResolveJoinRequest request) {
        UUID groupId = Ids.uuid(request.getGroupId(), "group_id");
        UUID joiner = Ids.uuid(request.getUserId(), "user_id");
        return changes.<UUID>apply(groupId, (tx, state) -> {
            requireAdmin(state, caller);
            return store.deleteJoinRequest(tx, groupId, joiner).compose(existed -> {
                if (!existed) {
                    throw Failure.NOT_FOUND.exception("no pending join request from this user");
                }
                if (request.getApprove()) {
                    return admit(tx, state, caller, joiner);
                }
                List<UUID> told = new ArrayList<>(state.members().stream().filter(GroupStore.MemberRow::admin)
                        .map(GroupStore.MemberRow::userId).toList());
                told.add(joiner);
                return notices.record(tx, state.group(), caller, GroupNotice.Kind.JOIN_REJECTED, List.of(joiner), told)
                        .map(List::of);
            }).map(rows -> new GroupChanges.Outcome<>(groupId, rows));
        }).compose(id -> changes.describe(id, caller));
    }

    /** Makes the joiner a member (409 at the cap) and tells every member, the joiner included. */
    private Future<List<GroupStore.OutboxRow>> admit(io.vertx.sqlclient.SqlConnection tx, GroupState state, Caller actor,
            UUID joiner) {
        if (state.members().size() >= config.maxMembers()) {
            throw Failure.CONFLICT.exception("the group is full: at most " + config.maxMembers() + " members");
        }
        List<UUID> recipients = new ArrayList<>(state.memberIds());
        recipients.add(joiner);
        return store.insertMembers(tx, state.group().id(), List.of(joiner), false, clock.millis())
                .compose(v -> changes.bump(tx, state.group()))
                .compose(g -> notices.record(tx, g, actor, GroupNotice.Kind.JOINED_BY_LINK, List.of(joiner), recipients))
                .map(List::of);
    }

    private static void requireAdmin(GroupState state, Caller caller) {
        GroupsService.requireMember(state, caller);
        if (!state.isAdmin(caller.userId())) {
            throw Failure.FORBIDDEN.exception("only admins manage this group's invite links and join requests");
        }
    }
}
