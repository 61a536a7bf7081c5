package io.parley.messaging;

import io.parley.bus.DevicePusher;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.InboxDepth;
import io.parley.proto.InboxDepthsRequest;
import io.vertx.core.Future;
import java.util.UUID;

/** The operator's view of inboxes: envelopes waiting per device, for one user or the deepest inboxes. */
final class InboxDepths {
    static final int MAX_LIMIT = 1_000;
    private static final int DEFAULT_LIMIT = 20;

    private final InboxStore store;

    InboxDepths(InboxStore store) {
        this.store = store;
    }

    Future<io.parley.proto.InboxDepths> depths(InboxDepthsRequest request) {
        if (request.getLimit() > MAX_LIMIT) {
            throw Failure.BAD_REQUEST.exception("limit must be at most " + MAX_LIMIT);
        }
        UUID user = request.getUserId().isEmpty() ? null : Ids.uuid(request.getUserId(), "user_id");
        int limit = request.getLimit() == 0 ? DEFAULT_LIMIT : request.getLimit();
        return store.depths(user, limit).compose(devices -> store.depth().map(total -> {
            io.parley.proto.InboxDepths.Builder out = io.parley.proto.InboxDepths.newBuilder().setTotal(total);
            devices.forEach(d -> out.addDevices(InboxDepth.newBuilder().setDevice(DevicePusher.ref(d.userId(), d.deviceId()))
                    .setEnvelopes(d.envelopes())));
            return out.build();
        }));
    }
}
