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

/**
 * What groups asks accounts: users' current devices (the fan-out list) and relations (broadcasts).
 * Device lists are also remembered for a few seconds for group sends ({@link #cachedDevices}): a
 * 1,024-member group would otherwise cost accounts a query of 1,024 users per message. A device
 * event makes that user's entry stale at once. Event-loop confined.
 */
final class AccountsLookup {
    private static final long TIMEOUT_MS = 5_000;
    private static final long TTL_MS = 10_000;
    private static final int MAX_ENTRIES = 100_000;

    private record Entry(List<Integer> devices, long fetchedAt) {
    }

    private final EventBus bus;
    private final Map<UUID, Entry> cache = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    AccountsLookup(EventBus bus) {
        this.bus = bus;
    }

    /** Each existing user's current device ids, asked now; users that do not exist are absent. */
    Future<Map<UUID, List<Integer>>> devices(List<UUID> users) {
        if (users.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        long now = System.currentTimeMillis();
        DeviceSetRequest request = DeviceSetRequest.newBuilder().addAllUserIds(users.stream().map(Ids::bytes).toList()).build();
        return bus.<DeviceSets>request(Addresses.ACCOUNTS_DEVICE_SETS, request, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
                .map(reply -> {
                    Map<UUID, List<Integer>> sets = new HashMap<>();
                    reply.body().getSetsList().forEach(s -> {
                        UUID user = Ids.uuid(s.getUserId(), "user_id");
                        sets.put(user, s.getDeviceIdsList());
                        cache.put(user, new Entry(s.getDeviceIdsList(), now));
                    });
                    return sets;
                });
    }

    /**
     * As {@link #devices}, from what was asked in the last few seconds where it can: only users
     * not remembered (or changed since) are asked. A caller that finds the answer does not fit
     * asks {@link #devices} again before it refuses anything.
     */
    Future<Map<UUID, List<Integer>>> cachedDevices(List<UUID> users) {
        long now = System.currentTimeMillis();
        Map<UUID, List<Integer>> known = new HashMap<>();
        List<UUID> ask = new java.util.ArrayList<>();
        for (UUID user : users) {
            Entry entry = cache.get(user);
            if (entry != null && now - entry.fetchedAt() < TTL_MS) {
                known.put(user, entry.devices());
            } else {
                ask.add(user);
            }
        }
        if (ask.isEmpty()) {
            return Future.succeededFuture(known);
        }
        return devices(ask).map(asked -> {
            known.putAll(asked);
            return known;
        });
    }

    /** A user's devices changed (linked, removed): forget what was remembered of them. */
    void changed(UUID user) {
        cache.remove(user);
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
