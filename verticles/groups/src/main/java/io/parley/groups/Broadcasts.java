package io.parley.groups;

import io.parley.bus.Caller;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.AddBroadcastRecipientsRequest;
import io.parley.proto.BroadcastList;
import io.parley.proto.BroadcastLists;
import io.parley.proto.BroadcastTargets;
import io.parley.proto.BroadcastTargetsRequest;
import io.parley.proto.CreateBroadcastListRequest;
import io.parley.proto.Relation;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * Broadcast lists: a user's named lists of up to 256 recipients. A broadcast is no message of its
 * own: the owner asks which recipients it may reach now (those who have the owner in their
 * contacts and do not block it) and sends each of them an ordinary 1:1 message.
 */
final class Broadcasts {
    private static final int MAX_NAME_CHARS = 64;

    private final BroadcastStore store;
    private final AccountsLookup accounts;
    private final GroupsConfig config;
    private final Clock clock;

    Broadcasts(BroadcastStore store, AccountsLookup accounts, GroupsConfig config, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.config = config;
        this.clock = clock;
    }

    Future<BroadcastList> create(Caller caller, CreateBroadcastListRequest request) {
        String name = request.getName().strip();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_CHARS) {
            throw Failure.BAD_REQUEST.exception("a list name has 1 to " + MAX_NAME_CHARS + " characters");
        }
        List<UUID> recipients = recipients(caller, request.getRecipientsList());
        if (recipients.size() > config.maxBroadcastRecipients()) {
            throw Failure.CONFLICT.exception("a broadcast list has at most " + config.maxBroadcastRecipients() + " recipients");
        }
        UUID listId = UUID.randomUUID();
        long now = clock.millis();
        return accounts.requireExisting(recipients)
                .compose(v -> store.pool().withTransaction(tx -> store.insertList(tx, listId, caller.userId(), name, now)
                        .compose(x -> store.insertRecipients(tx, listId, recipients, now))))
                .map(v -> BroadcastList.newBuilder().setListId(Ids.bytes(listId)).setName(name).setCreatedMs(now)
                        .addAllRecipients(recipients.stream().map(Ids::bytes).toList()).build());
    }

    Future<BroadcastList> add(Caller caller, AddBroadcastRecipientsRequest request) {
        UUID listId = Ids.uuid(request.getListId(), "list_id");
        List<UUID> added = distinct(request.getRecipientsList());
        if (added.isEmpty()) {
            throw Failure.BAD_REQUEST.exception("recipients must name at least one user");
        }
        // Whose list it is comes first: to anybody but its owner the list does not exist (404),
        // whatever the request asks; only the owner hears that it cannot add itself.
        return store.pool().withTransaction(tx -> store.lock(tx, listId).compose(found -> {
            BroadcastStore.ListRow list = owned(found, caller);
            refuseSelf(caller, added);
            return accounts.requireExisting(added).map(v -> list);
        }).compose(list -> {
            long fresh = added.stream().filter(u -> !list.recipients().contains(u)).count();
            if (list.recipients().size() + fresh > config.maxBroadcastRecipients()) {
                throw Failure.CONFLICT.exception("a broadcast list has at most " + config.maxBroadcastRecipients()
                        + " recipients; it has " + list.recipients().size());
            }
            return store.insertRecipients(tx, listId, added, clock.millis()).compose(x -> store.recipients(tx, listId))
                    .map(all -> proto(new BroadcastStore.ListRow(listId, list.owner(), list.name(), list.createdAt(), all)));
        }));
    }

    Future<BroadcastLists> list(Caller caller) {
        return store.listsOf(caller.userId())
                .map(lists -> BroadcastLists.newBuilder().addAllLists(lists.stream().map(Broadcasts::proto).toList()).build());
    }

    /** Which recipients a broadcast reaches now; the caller must own the list (404 otherwise). */
    Future<BroadcastTargets> targets(Caller caller, BroadcastTargetsRequest request) {
        UUID listId = Ids.uuid(request.getListId(), "list_id");
        return store.pool().withTransaction(tx -> store.lock(tx, listId)).compose(found -> {
            BroadcastStore.ListRow list = owned(found, caller);
            List<Future<Relation>> relations = list.recipients().stream()
                    .map(user -> accounts.relation(caller.userId(), user)).toList();
            return Future.all(relations).map(all -> {
                BroadcastTargets.Builder targets = BroadcastTargets.newBuilder();
                for (int i = 0; i < list.recipients().size(); i++) {
                    Relation r = all.resultAt(i);
                    com.google.protobuf.ByteString user = Ids.bytes(list.recipients().get(i));
                    if (r.getExists() && r.getContact() && !r.getBlocked()) {
                        targets.addEligible(user);
                    } else {
                        targets.addSkipped(user);
                    }
                }
                return targets.build();
            });
        });
    }

    private static BroadcastStore.ListRow owned(java.util.Optional<BroadcastStore.ListRow> found, Caller caller) {
        return found.filter(l -> l.owner().equals(caller.userId()))
                .orElseThrow(() -> Failure.NOT_FOUND.exception("no such broadcast list of yours"));
    }

    private List<UUID> recipients(Caller caller, List<com.google.protobuf.ByteString> ids) {
        List<UUID> users = distinct(ids);
        refuseSelf(caller, users);
        return users;
    }

    private List<UUID> distinct(List<com.google.protobuf.ByteString> ids) {
        if (ids.size() > config.maxBroadcastRecipients()) {
            throw Failure.CONFLICT.exception("a broadcast list has at most " + config.maxBroadcastRecipients() + " recipients");
        }
        return new ArrayList<>(new LinkedHashSet<>(ids.stream().map(b -> Ids.uuid(b, "recipients")).toList()));
    }

    private static void refuseSelf(Caller caller, List<UUID> users) {
        if (users.contains(caller.userId())) {
            throw Failure.BAD_REQUEST.exception("you cannot be a recipient of your own broadcast list");
        }
    }

    private static BroadcastList proto(BroadcastStore.ListRow list) {
        return BroadcastList.newBuilder().setListId(Ids.bytes(list.listId())).setName(list.name())
                .setCreatedMs(list.createdAt()).addAllRecipients(list.recipients().stream().map(Ids::bytes).toList()).build();
    }
}
