package io.parley.groups;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A group as read from its tables: the row and its members in join order. */
record GroupState(GroupStore.GroupRow group, List<GroupStore.MemberRow> members) {
    Optional<GroupStore.MemberRow> member(UUID user) {
        return members.stream().filter(m -> m.userId().equals(user)).findFirst();
    }

    boolean isMember(UUID user) {
        return member(user).isPresent();
    }

    boolean isAdmin(UUID user) {
        return member(user).map(GroupStore.MemberRow::admin).orElse(false);
    }

    List<UUID> memberIds() {
        return members.stream().map(GroupStore.MemberRow::userId).toList();
    }
}
