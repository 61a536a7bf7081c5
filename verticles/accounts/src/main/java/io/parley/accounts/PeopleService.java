package io.parley.accounts;

import io.parley.bus.Caller;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.AddContactRequest;
import io.parley.proto.BlockRequest;
import io.parley.proto.BlockedList;
import io.parley.proto.Contact;
import io.parley.proto.ContactList;
import io.parley.proto.DeviceSet;
import io.parley.proto.DeviceSetRequest;
import io.parley.proto.DeviceSets;
import io.parley.proto.DiscoverContactsRequest;
import io.parley.proto.DiscoverContactsResponse;
import io.parley.proto.DiscoveredContact;
import io.parley.proto.GetProfileRequest;
import io.parley.proto.Ok;
import io.parley.proto.Privacy;
import io.parley.proto.Relation;
import io.parley.proto.RelationRequest;
import io.parley.proto.RemoveContactRequest;
import io.parley.proto.ResolveUserRequest;
import io.parley.proto.SetPrivacyRequest;
import io.parley.proto.SetProfileRequest;
import io.parley.proto.UnblockRequest;
import io.parley.proto.UserProfile;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Contacts, discovery, profiles, blocking and privacy, and the relation checks other verticles ask for. */
final class PeopleService {
    static final int MAX_DISCOVERY_HASHES = 2_000;
    static final int MAX_DEVICE_SET_USERS = 1_100;
    private static final int PHONE_HASH_BYTES = 32;
    private static final int MAX_DISPLAY_NAME = 64;
    private static final int MAX_ABOUT = 256;
    private static final int MAX_AVATAR_REF = 512;
    private static final Ok OK = Ok.getDefaultInstance();

    private final AccountStore store;
    private final io.vertx.core.eventbus.EventBus bus;

    PeopleService(AccountStore store, io.vertx.core.eventbus.EventBus bus) {
        this.store = store;
        this.bus = bus;
    }

    /** Tells services that cache relation checks (messaging, presence) that this pair changed. */
    private void relationChanged(UUID user, UUID other) {
        bus.publish(io.parley.bus.Addresses.RELATION_EVENTS, io.parley.proto.RelationChanged.newBuilder()
                .setUserId(Ids.bytes(user)).setOther(Ids.bytes(other)).build());
    }

    Future<io.parley.proto.SendCheck> sendCheck(io.parley.proto.SendCheckRequest request) {
        UUID from = Ids.uuid(request.getFrom(), "from");
        UUID to = Ids.uuid(request.getTo(), "to");
        return store.sendCheck(from, to).map(found -> found.map(r -> {
            io.parley.proto.SendCheck.Builder check = io.parley.proto.SendCheck.newBuilder().setExists(true)
                    .setBlocked(r.getBoolean(1)).setToReadReceipts(!r.getBoolean(0))
                    .setFromReadReceipts(!Boolean.TRUE.equals(r.getBoolean(4)));
            if (r.getArrayOfIntegers(2) != null) {
                check.addAllToDevices(java.util.Arrays.asList(r.getArrayOfIntegers(2)));
            }
            if (r.getArrayOfIntegers(3) != null) {
                check.addAllFromDevices(java.util.Arrays.asList(r.getArrayOfIntegers(3)));
            }
            return check.build();
        }).orElse(io.parley.proto.SendCheck.getDefaultInstance()));
    }

    Future<Contact> addContact(Caller caller, AddContactRequest request) {
        Future<Optional<AccountStore.StoredAccount>> found = switch (request.getWhoCase()) {
            case USERNAME -> store.accountByUsername(Identifiers.username(request.getUsername()));
            case PHONE -> store.accountByPhone(Identifiers.phone(request.getPhone()));
            case USER_ID -> store.account(Ids.uuid(request.getUserId(), "user_id"));
            case WHO_NOT_SET -> throw Failure.BAD_REQUEST.exception("username, phone or user_id is required");
        };
        return found.map(account -> account.orElseThrow(() -> Failure.NOT_FOUND.exception("no such user")))
                .compose(account -> {
                    if (account.userId().equals(caller.userId())) {
                        return Future.failedFuture(Failure.BAD_REQUEST.exception("you cannot add yourself as a contact"));
                    }
                    return store.addContact(caller.userId(), account.userId()).map(v -> {
                        relationChanged(caller.userId(), account.userId());
                        return contact(account);
                    });
                });
    }

    Future<Contact> resolve(ResolveUserRequest request) {
        Future<Optional<AccountStore.StoredAccount>> found = switch (request.getWhoCase()) {
            case USERNAME -> store.accountByUsername(Identifiers.username(request.getUsername()));
            case PHONE -> store.accountByPhone(Identifiers.phone(request.getPhone()));
            case WHO_NOT_SET -> throw Failure.BAD_REQUEST.exception("username or phone is required");
        };
        return found.map(account -> contact(account.orElseThrow(() -> Failure.NOT_FOUND.exception("no such user"))));
    }

    Future<Ok> removeContact(Caller caller, RemoveContactRequest request) {
        UUID other = Ids.uuid(request.getUserId(), "user_id");
        return store.removeContact(caller.userId(), other).map(v -> {
            relationChanged(caller.userId(), other);
            return OK;
        });
    }

    Future<ContactList> listContacts(Caller caller) {
        return store.contacts(caller.userId()).map(rows -> {
            ContactList.Builder list = ContactList.newBuilder();
            rows.forEach(r -> list.addContacts(Contact.newBuilder().setUserId(Ids.bytes(r.getUUID(0)))
                    .setUsername(r.getString(1) == null ? "" : r.getString(1)).setDisplayName(r.getString(2))));
            return list.build();
        });
    }

    Future<DiscoverContactsResponse> discover(DiscoverContactsRequest request) {
        if (request.getPhoneHashesCount() > MAX_DISCOVERY_HASHES) {
            throw Failure.TOO_LARGE.exception("at most " + MAX_DISCOVERY_HASHES + " phone hashes per request");
        }
        List<byte[]> hashes = request.getPhoneHashesList().stream().map(h -> {
            if (h.size() != PHONE_HASH_BYTES) {
                throw Failure.BAD_REQUEST.exception("each phone hash must be the 32 bytes of SHA-256");
            }
            return h.toByteArray();
        }).toList();
        if (hashes.isEmpty()) {
            return Future.succeededFuture(DiscoverContactsResponse.getDefaultInstance());
        }
        return store.discover(hashes).map(rows -> {
            DiscoverContactsResponse.Builder response = DiscoverContactsResponse.newBuilder();
            rows.forEach(r -> response.addMatches(DiscoveredContact.newBuilder()
                    .setPhoneHash(com.google.protobuf.ByteString.copyFrom(r.getBuffer(0).getBytes()))
                    .setUserId(Ids.bytes(r.getUUID(1)))));
            return response.build();
        });
    }

    Future<Ok> setProfile(Caller caller, SetProfileRequest request) {
        Identifiers.text(request.getProfile().getDisplayName(), "display_name", MAX_DISPLAY_NAME);
        Identifiers.text(request.getProfile().getAbout(), "about", MAX_ABOUT);
        Identifiers.text(request.getProfile().getAvatarRef(), "avatar_ref", MAX_AVATAR_REF);
        return store.updateProfile(caller.userId(), request.getProfile()).map(OK);
    }

    Future<UserProfile> getProfile(GetProfileRequest request) {
        UUID userId = Ids.uuid(request.getUserId(), "user_id");
        return store.account(userId).map(found -> found.map(a -> UserProfile.newBuilder().setUserId(request.getUserId())
                .setProfile(a.profile()).build()).orElseThrow(() -> Failure.NOT_FOUND.exception("no such user")));
    }

    Future<Ok> block(Caller caller, BlockRequest request) {
        UUID target = Ids.uuid(request.getUserId(), "user_id");
        if (target.equals(caller.userId())) {
            throw Failure.BAD_REQUEST.exception("you cannot block yourself");
        }
        return store.account(target).compose(found -> found.isEmpty()
                ? Future.failedFuture(Failure.NOT_FOUND.exception("no such user"))
                : store.block(caller.userId(), target).map(v -> {
                    relationChanged(caller.userId(), target);
                    return OK;
                }));
    }

    Future<Ok> unblock(Caller caller, UnblockRequest request) {
        UUID other = Ids.uuid(request.getUserId(), "user_id");
        return store.unblock(caller.userId(), other).map(v -> {
            relationChanged(caller.userId(), other);
            return OK;
        });
    }

    Future<BlockedList> listBlocked(Caller caller) {
        return store.blocked(caller.userId()).map(ids -> BlockedList.newBuilder()
                .addAllUserIds(ids.stream().map(Ids::bytes).toList()).build());
    }

    Future<Privacy> setPrivacy(Caller caller, SetPrivacyRequest request) {
        if (request.getPrivacy().getLastSeen() == Privacy.Audience.UNRECOGNIZED) {
            throw Failure.BAD_REQUEST.exception("last_seen must be EVERYONE, CONTACTS or NOBODY");
        }
        return store.updatePrivacy(caller.userId(), request.getPrivacy()).map(v -> {
            relationChanged(caller.userId(), caller.userId());
            return request.getPrivacy();
        });
    }

    Future<Privacy> getPrivacy(Caller caller) {
        return store.account(caller.userId()).map(found -> found.map(AccountStore.StoredAccount::privacy)
                .orElseThrow(() -> Failure.UNAUTHORIZED.exception("account no longer exists")));
    }

    Future<DeviceSets> deviceSets(DeviceSetRequest request) {
        if (request.getUserIdsCount() > MAX_DEVICE_SET_USERS) {
            throw Failure.TOO_LARGE.exception("at most " + MAX_DEVICE_SET_USERS + " users per device-set request");
        }
        List<UUID> users = request.getUserIdsList().stream().map(b -> Ids.uuid(b, "user_id")).toList();
        return store.deviceIds(users).map(rows -> {
            DeviceSets.Builder sets = DeviceSets.newBuilder();
            for (Row r : rows) {
                DeviceSet.Builder set = DeviceSet.newBuilder().setUserId(Ids.bytes(r.getUUID(0)));
                for (Integer id : r.getArrayOfIntegers(1)) {
                    set.addDeviceIds(id);
                }
                sets.addSets(set);
            }
            return sets.build();
        });
    }

    Future<Relation> relation(RelationRequest request) {
        UUID from = Ids.uuid(request.getFrom(), "from");
        UUID to = Ids.uuid(request.getTo(), "to");
        return store.relation(from, to).map(found -> found.map(r -> {
            boolean contact = r.getBoolean(3);
            Privacy.Audience audience = Privacy.Audience.forNumber(r.getShort(0));
            boolean visible = audience == Privacy.Audience.EVERYONE || (audience == Privacy.Audience.CONTACTS && contact);
            return Relation.newBuilder().setExists(true).setBlocked(r.getBoolean(2)).setContact(contact)
                    .setLastSeenVisible(visible && !r.getBoolean(2)).setReadReceipts(!r.getBoolean(1)).build();
        }).orElse(Relation.getDefaultInstance()));
    }

    private static Contact contact(AccountStore.StoredAccount account) {
        return Contact.newBuilder().setUserId(Ids.bytes(account.userId())).setUsername(account.username())
                .setDisplayName(account.profile().getDisplayName()).build();
    }
}
