package io.parley.groups;

import io.parley.bus.Addresses;
import io.parley.bus.Ids;
import io.parley.proto.DeviceSetRequest;
import io.parley.proto.DeviceSets;
import io.parley.proto.Relation;
import io.parley.proto.RelationRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What groups asks accounts: users' current devices (the fan-out list) and relations (broadcasts). */
final class AccountsLookup {
    private static final long TIMEOUT_MS = 5_000;

    private final EventBus bus;

    AccountsLookup(EventBus bus) {
        this.bus = bus;
    }

    /** Each existing user's current device ids; users that do not exist are absent. */
    Future<Map<UUID, List<Integer>>> devices(List<UUID> users) {
        if (users.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        DeviceSetRequest request = DeviceSetRequest.newBuilder().addAllUserIds(users.stream().map(Ids::bytes).toList()).build();
        return bus.<DeviceSets>request(Addresses.ACCOUNTS_DEVICE_SETS, request, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
                .map(reply -> {
                    Map<UUID, List<Integer>> sets = new HashMap<>();
                    reply.body().getSetsList().forEach(s -> sets.put(Ids.uuid(s.getUserId(), "user_id"), s.getDeviceIdsList()));
                    return sets;
                });
    }

    /** 404 unless every one of these users exists. */
    Future<Void> requireExisting(List<UUID> users) {
        return devices(users).map(found -> {
            for (UUID user : users) {
                if (!found.containsKey(user)) {
                    throw io.parley.bus.Failure.NOT_FOUND.exception("no such user " + user);
                }
            }
            return null;
        });
    }

    /** May {@code from} reach {@code to}, and is {@code from} in {@code to}'s contacts. */
    Future<Relation> relation(UUID from, UUID to) {
        return bus.<Relation>request(Addresses.ACCOUNTS_RELATION, RelationRequest.newBuilder().setFrom(Ids.bytes(from))
                .setTo(Ids.bytes(to)).build(), new DeliveryOptions().setSendTimeout(TIMEOUT_MS)).map(r -> r.body());
    }
}
