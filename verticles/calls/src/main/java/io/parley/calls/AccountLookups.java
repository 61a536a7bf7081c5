package io.parley.calls;

import io.parley.bus.Addresses;
import io.parley.bus.Ids;
import io.parley.proto.DeviceSetRequest;
import io.parley.proto.DeviceSets;
import io.parley.proto.SendCheck;
import io.parley.proto.SendCheckRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import java.util.UUID;

/**
 * What calls asks of accounts, fresh every time (calls are rare next to messages, and a block must
 * stop the very next call): whether a callee exists, has blocked the caller, and its devices.
 */
final class AccountLookups {
    private static final long TIMEOUT_MS = 5_000;

    private final EventBus bus;
    private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(TIMEOUT_MS);

    AccountLookups(EventBus bus) {
        this.bus = bus;
    }

    /** May {@code from} call {@code to}: {@code to} exists, has not blocked {@code from}; {@code to}'s devices. */
    Future<SendCheck> check(UUID from, UUID to) {
        return bus.<SendCheck>request(Addresses.ACCOUNTS_SEND_CHECK, SendCheckRequest.newBuilder().setFrom(Ids.bytes(from))
                .setTo(Ids.bytes(to)).build(), options).map(m -> m.body());
    }

    /** The user's current device ids. */
    Future<List<Integer>> devices(UUID user) {
        return bus.<DeviceSets>request(Addresses.ACCOUNTS_DEVICE_SETS, DeviceSetRequest.newBuilder()
                        .addUserIds(Ids.bytes(user)).build(), options)
                .map(reply -> reply.body().getSetsList().stream().findFirst()
                        .map(set -> List.copyOf(set.getDeviceIdsList())).orElse(List.of()));
    }
}
