package io.parley.presence;

import io.parley.bus.Addresses;
import io.parley.bus.Ids;
import io.parley.bus.Lookups;
import io.parley.bus.PairCache;
import io.parley.proto.DeviceSetRequest;
import io.parley.proto.DeviceSets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;

/**
 * A user's current devices, asked of accounts ({@code parley.accounts.device-sets}) and kept 10 s,
 * dropped at once when a device is linked or removed. Typing goes to those of them that are
 * connected (their routes), so it does not depend on presence having seen every connect.
 */
final class DeviceLists {
    private static final long TTL_MS = 10_000;
    private static final int MAX_ENTRIES = 50_000;
    private static final long TIMEOUT_MS = 5_000;

    private final PairCache<List<Integer>> cache;

    DeviceLists(Vertx vertx) {
        this.cache = new PairCache<>(TTL_MS, MAX_ENTRIES, (user, same) -> Lookups.<DeviceSets>request(vertx.eventBus(),
                        Addresses.ACCOUNTS_DEVICE_SETS, DeviceSetRequest.newBuilder().addUserIds(Ids.bytes(user)).build(),
                        TIMEOUT_MS)
                .map(sets -> sets.getSetsList().stream().findFirst()
                        .map(set -> List.copyOf(set.getDeviceIdsList())).orElse(List.of())));
    }

    Future<List<Integer>> of(UUID user) {
        return cache.get(user, user);
    }

    void changed(UUID user) {
        cache.changed(user);
    }
}
