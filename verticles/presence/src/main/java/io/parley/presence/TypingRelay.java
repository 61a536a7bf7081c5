package io.parley.presence;

import io.parley.bus.Caller;
import io.parley.bus.DevicePusher;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.Ok;
import io.parley.proto.Push;
import io.parley.proto.TypingRequest;
import io.parley.proto.TypingUpdate;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.UUID;

/**
 * Typing indicators: pushed live to the recipient's online devices and never stored (an indicator
 * that finds nobody online is gone). Dropped without a word across a block in either direction.
 */
final class TypingRelay {
    private static final Ok OK = Ok.getDefaultInstance();

    private final PresenceStore store;
    private final Relations relations;
    private final DevicePusher pusher;
    private final Clock clock;

    TypingRelay(PresenceStore store, Relations relations, DevicePusher pusher, Clock clock) {
        this.store = store;
        this.relations = relations;
        this.pusher = pusher;
        this.clock = clock;
    }

    Future<Ok> typing(Caller caller, TypingRequest request) {
        UUID to = Ids.uuid(request.getToUser(), "to_user");
        if (to.equals(caller.userId())) {
            throw Failure.BAD_REQUEST.exception("typing goes to another user");
        }
        return relations.view(caller.userId(), to).compose(view -> {
            if (!view.exists()) {
                return Future.failedFuture(Failure.NOT_FOUND.exception("no such user"));
            }
            if (view.blocked()) {
                return Future.succeededFuture(OK);
            }
            Push push = Push.newBuilder().setTyping(TypingUpdate.newBuilder().setFromUser(Ids.bytes(caller.userId()))
                    .setFromDevice(caller.deviceId()).setTyping(request.getTyping())).build();
            return store.onlineDevices(to, clock.millis())
                    .compose(devices -> pusher.push(devices.stream().map(d -> DevicePusher.ref(to, d)).toList(), push))
                    .map(routed -> OK);
        });
    }
}
