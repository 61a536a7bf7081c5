package io.parley.groups;

import io.parley.bus.Caller;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.ChangeMembersRequest;
import io.parley.proto.CreateGroupRequest;
import io.parley.proto.GetGroupRequest;
import io.parley.proto.Group;
import io.parley.proto.GroupList;
import io.parley.proto.GroupNotice;
import io.parley.proto.InfoEditors;
import io.parley.proto.LeaveGroupRequest;
import io.parley.proto.Ok;
import io.parley.proto.UpdateGroupRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Groups and their members: create, read, info and settings, add, remove, promote, demote, leave.
 * Only admins change members and settings; info follows the group's {@link InfoEditors} setting.
 */
final class GroupsService {
    private static final int MAX_AVATAR_REF = 512;

    private final GroupStore store;
    private final GroupChanges changes;
    private final Notices notices;
    private final AccountsLookup accounts;
    private final GroupsConfig config;
    private final Clock clock;

    GroupsService(GroupStore store, GroupChanges changes, Notices notices, AccountsLookup accounts, GroupsConfig config,
            Clock clock) {
        this.store = store;
        this.changes = changes;
        this.notices = notices;
        this.accounts = accounts;
        this.config = config;
        this.clock = clock;
    }

    Future<Group> create(Caller caller, CreateGroupRequest request) {
        String subject = subject(request.getSubject());
        String description = description(request.getDescription());
        String avatar = avatar(request.getAvatarRef());
        if (request.getInfoEditors() == InfoEditors.UNRECOGNIZED) {
            throw Failure.BAD_REQUEST.exception("info_editors must be ALL_MEMBERS or ADMINS_ONLY");
        }
        Set<UUID> others = new LinkedHashSet<>(users(request.getMembersList(), "members"));
        others.remove(caller.userId());
        if (others.size() + 1 > config.maxMembers()) {
            throw Failure.CONFLICT.exception("a group has at most " + config.maxMembers() + " members");
        }
        List<UUID> members = new ArrayList<>(others);
        long now = clock.millis();
        GroupStore.GroupRow group = new GroupStore.GroupRow(UUID.randomUUID(), subject, description, avatar,
                request.getAnnouncementOnly(), request.getInfoEditorsValue(), caller.userId(), now, 1);
        List<UUID> everyone = new ArrayList<>(members.size() + 1);
        everyone.add(caller.userId());
        everyone.addAll(members);
        return accounts.requireExisting(members)
                .compose(v -> store.pool().withTransaction(tx -> store.insertGroup(tx, group)
                        .compose(x -> store.insertMembers(tx, group.id(), List.of(caller.userId()), true, now))
                        .compose(x -> store.insertMembers(tx, group.id(), members, false, now))
                        .compose(x -> notices.record(tx, group, caller, GroupNotice.Kind.CREATED, members, everyone))))
                .compose(notice -> notices.deliverAll(List.of(notice)))
                .compose(v -> changes.describe(group.id(), caller));
    }

    Future<Group> get(Caller caller, GetGroupRequest request) {
        return changes.describe(Ids.uuid(request.getGroupId(), "group_id"), caller);
    }

    Future<GroupList> list(Caller caller) {
        return store.groupsOf(caller.userId()).compose(ids -> {
            List<Future<Group>> groups = ids.stream().map(id -> changes.describe(id, caller)).toList();
            return Future.all(groups).map(all -> GroupList.newBuilder().addAllGroups(all.<Group>list()).build());
        });
    }

    Future<Group> update(Caller caller, UpdateGroupRequest request) {
        UUID groupId = Ids.uuid(request.getGroupId(), "group_id");
        boolean info = request.hasSubject() || request.hasDescription() || request.hasAvatarRef();
        boolean settings = request.hasAnnouncementOnly() || request.hasInfoEditors();
        if (!info && !settings) {
            throw Failure.BAD_REQUEST.exception("nothing to change: set subject, description, avatar_ref or a setting");
        }
        if (request.hasInfoEditors() && request.getInfoEditors() == InfoEditors.UNRECOGNIZED) {
            throw Failure.BAD_REQUEST.exception("info_editors must be ALL_MEMBERS or ADMINS_ONLY");
        }
        return changes.<UUID>apply(groupId, (tx, state) -> {
            requireMember(state, caller);
            GroupStore.GroupRow g = state.group();
            boolean admin = state.isAdmin(caller.userId());
            if (settings && !admin) {
                throw Failure.FORBIDDEN.exception("only admins change the group's settings");
            }
            if (info && !admin && g.infoEditors() == InfoEditors.ADMINS_ONLY_VALUE) {
                throw Failure.FORBIDDEN.exception("only admins edit this group's info");
            }
            GroupStore.GroupRow next = new GroupStore.GroupRow(g.id(),
                    request.hasSubject() ? subject(request.getSubject()) : g.subject(),
                    request.hasDescription() ? description(request.getDescription()) : g.description(),
                    request.hasAvatarRef() ? avatar(request.getAvatarRef()) : g.avatarRef(),
                    request.hasAnnouncementOnly() ? request.getAnnouncementOnly() : g.announcementOnly(),
                    request.hasInfoEditors() ? request.getInfoEditorsValue() : g.infoEditors(), g.createdBy(), g.createdAt(),
                    g.revision());
            GroupNotice.Kind kind = settings ? GroupNotice.Kind.SETTINGS_CHANGED : GroupNotice.Kind.INFO_CHANGED;
            return changes.bump(tx, next)
                    .compose(bumped -> notices.record(tx, bumped, caller, kind, List.of(), state.memberIds()))
                    .map(n -> new GroupChanges.Outcome<>(groupId, List.of(n)));
        }).compose(id -> changes.describe(id, caller));
    }

    Future<Group> changeMembers(Caller caller, ChangeMembersRequest request) {
        UUID groupId = Ids.uuid(request.getGroupId(), "group_id");
        List<UUID> users = List.copyOf(new LinkedHashSet<>(users(request.getUserIdsList(), "user_ids")));
        if (users.isEmpty()) {
            throw Failure.BAD_REQUEST.exception("user_ids must name at least one user");
        }
        if (request.getAction() == ChangeMembersRequest.Action.UNRECOGNIZED) {
            throw Failure.BAD_REQUEST.exception("action must be ADD, REMOVE, PROMOTE or DEMOTE");
        }
        Future<Void> existing = request.getAction() == ChangeMembersRequest.Action.ADD ? accounts.requireExisting(users)
                : Future.succeededFuture();
        return existing.compose(v -> changes.<UUID>apply(groupId, (tx, state) -> {
            requireMember(state, caller);
            if (!state.isAdmin(caller.userId())) {
                throw Failure.FORBIDDEN.exception("only admins change the members of this group");
            }
            return switch (request.getAction()) {
                case ADD -> add(tx, state, caller, users);
                case REMOVE -> remove(tx, state, caller, users);
                case PROMOTE, DEMOTE -> admins(tx, state, caller, users, request.getAction() == ChangeMembersRequest.Action.PROMOTE);
                default -> throw Failure.BAD_REQUEST.exception("unknown action");
            };
        })).compose(id -> changes.describe(id, caller));
    }

    private Future<GroupChanges.Outcome<UUID>> add(SqlConnection tx, GroupState state, Caller caller, List<UUID> users) {
        List<UUID> fresh = users.stream().filter(u -> !state.isMember(u)).toList();
        if (state.members().size() + fresh.size() > config.maxMembers()) {
            throw Failure.CONFLICT.exception("a group has at most " + config.maxMembers() + " members; it has "
                    + state.members().size());
        }
        if (fresh.isEmpty()) {
            return Future.succeededFuture(new GroupChanges.Outcome<>(state.group().id(), List.of()));
        }
        List<UUID> recipients = new ArrayList<>(state.memberIds());
        recipients.addAll(fresh);
        return store.insertMembers(tx, state.group().id(), fresh, false, clock.millis())
                .compose(added -> Future.all(fresh.stream().map(u -> store.deleteJoinRequest(tx, state.group().id(), u)).toList()))
                .compose(x -> changes.bump(tx, state.group()))
                .compose(g -> notices.record(tx, g, caller, GroupNotice.Kind.MEMBERS_ADDED, fresh, recipients))
                .map(n -> new GroupChanges.Outcome<>(state.group().id(), List.of(n)));
    }

    private Future<GroupChanges.Outcome<UUID>> remove(SqlConnection tx, GroupState state, Caller caller, List<UUID> users) {
        if (users.contains(caller.userId())) {
            throw Failure.BAD_REQUEST.exception("to remove yourself, leave the group");
        }
        requireMembers(state, users);
        List<UUID> recipients = state.memberIds();
        return store.deleteMembers(tx, state.group().id(), users)
                .compose(x -> changes.bump(tx, state.group()))
                .compose(g -> notices.record(tx, g, caller, GroupNotice.Kind.MEMBERS_REMOVED, users, recipients))
                .map(n -> new GroupChanges.Outcome<>(state.group().id(), List.of(n)));
    }

    private Future<GroupChanges.Outcome<UUID>> admins(SqlConnection tx, GroupState state, Caller caller, List<UUID> users,
            boolean promote) {
        requireMembers(state, users);
        long adminsLeft = state.members().stream().filter(m -> m.admin() && !(users.contains(m.userId()) && !promote)).count();
        if (adminsLeft == 0) {
            throw Failure.CONFLICT.exception("a group keeps at least one admin");
        }
        return store.setAdmin(tx, state.group().id(), users, promote).compose(changed -> {
            if (changed.isEmpty()) {
                return Future.succeededFuture(new GroupChanges.Outcome<>(state.group().id(), List.of()));
            }
            GroupNotice.Kind kind = promote ? GroupNotice.Kind.ADMINS_ADDED : GroupNotice.Kind.ADMINS_REMOVED;
            return changes.bump(tx, state.group())
                    .compose(g -> notices.record(tx, g, caller, kind, changed, state.memberIds()))
                    .map(n -> new GroupChanges.Outcome<>(state.group().id(), List.of(n)));
        });
    }

    /** Leaves the group; the last admin leaving hands admin to the longest-standing member; the last member deletes it. */
    Future<Ok> leave(Caller caller, LeaveGroupRequest request) {
        UUID groupId = Ids.uuid(request.getGroupId(), "group_id");
        return changes.<Ok>apply(groupId, (tx, state) -> {
            requireMember(state, caller);
            List<UUID> recipients = state.memberIds();
            List<GroupStore.MemberRow> remaining = state.members().stream()
                    .filter(m -> !m.userId().equals(caller.userId())).toList();
            if (remaining.isEmpty()) {
                return store.deleteGroup(tx, groupId).map(v -> new GroupChanges.Outcome<>(Ok.getDefaultInstance(), List.of()));
            }
            boolean needsAdmin = remaining.stream().noneMatch(GroupStore.MemberRow::admin);
            UUID heir = remaining.get(0).userId();
            return store.deleteMembers(tx, groupId, List.of(caller.userId()))
                    .compose(x -> needsAdmin ? store.setAdmin(tx, groupId, List.of(heir), true) : Future.succeededFuture())
                    .compose(x -> changes.bump(tx, state.group()))
                    .compose(g -> {
                        List<Future<GroupStore.OutboxRow>> written = new ArrayList<>();
                        written.add(notices.record(tx, g, caller, GroupNotice.Kind.MEMBER_LEFT, List.of(caller.userId()),
                                recipients));
                        if (needsAdmin) {
                            written.add(notices.record(tx, g, caller, GroupNotice.Kind.ADMINS_ADDED, List.of(heir),
                                    remaining.stream().map(GroupStore.MemberRow::userId).toList()));
                        }
                        return Future.join(written).map(all -> all.<GroupStore.OutboxRow>list());
                    })
                    .map(rows -> new GroupChanges.Outcome<>(Ok.getDefaultInstance(), rows));
        });
    }

    static void requireMember(GroupState state, Caller caller) {
        if (!state.isMember(caller.userId())) {
            throw Failure.FORBIDDEN.exception("you are not a member of this group");
        }
    }

    private static void requireMembers(GroupState state, List<UUID> users) {
        for (UUID user : users) {
            if (!state.isMember(user)) {
                throw Failure.NOT_FOUND.exception("user " + user + " is not a member of this group");
            }
        }
    }

    private List<UUID> users(List<com.google.protobuf.ByteString> ids, String field) {
        if (ids.size() > config.maxMembers()) {
            throw Failure.CONFLICT.exception("a group has at most " + config.maxMembers() + " members");
        }
        return ids.stream().map(b -> Ids.uuid(b, field)).toList();
    }

    private String subject(String subject) {
        String trimmed = subject.strip();
        if (trimmed.isEmpty() || trimmed.codePointCount(0, trimmed.length()) > config.maxSubjectChars()) {
            throw Failure.BAD_REQUEST.exception("a subject has 1 to " + config.maxSubjectChars() + " characters");
        }
        return trimmed;
    }

    private String description(String description) {
        if (description.codePointCount(0, description.length()) > config.maxDescriptionChars()) {
            throw Failure.BAD_REQUEST.exception("a description has at most " + config.maxDescriptionChars() + " characters");
        }
        return description;
    }

    private static String avatar(String ref) {
        if (ref.length() > MAX_AVATAR_REF) {
            throw Failure.BAD_REQUEST.exception("an avatar reference has at most " + MAX_AVATAR_REF + " characters");
        }
        return ref;
    }
}
