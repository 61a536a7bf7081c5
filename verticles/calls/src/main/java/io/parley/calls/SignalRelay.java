package io.parley.calls;

import io.parley.bus.Caller;
import io.parley.bus.DevicePusher;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.CallSignal;
import io.parley.proto.CallSignalRequest;
import io.parley.proto.Ok;
import io.parley.proto.Push;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/**
 * Relays opaque signalling blobs (SDP, ICE candidates; end-to-end encrypted by the clients, never
 * read here) from one device of a call to another: in a 1:1 call between the caller's device and
 * the device that answered, in a group call between any two participants. Live only: a blob for a
 * device that is not connected is gone, as the call would be.
 */
final class SignalRelay {
    private static final Ok OK = Ok.getDefaultInstance();

    private final CallStore store;
    private final CallNotifier notifier;
    private final CallLifecycleConfig config;

    SignalRelay(CallStore store, CallNotifier notifier, CallLifecycleConfig config) {
        this.store = store;
        this.notifier = notifier;
        this.config = config;
    }

    Future<Ok> signal(Caller caller, CallSignalRequest request) {
        UUID id = Ids.uuid(request.getCallId(), "call_id");
        UUID to = Ids.uuid(request.getToUser(), "to_user");
        int toDevice = request.getToDevice();
        if (request.getBlob().isEmpty()) {
            throw Failure.BAD_REQUEST.exception("blob must not be empty");
        }
        if (request.getBlob().size() > config.maxSignalBytes()) {
            throw Failure.TOO_LARGE.exception("a signalling blob is at most " + config.maxSignalBytes() + " bytes, got "
                    + request.getBlob().size());
        }
        return store.get(id).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(Failure.NOT_FOUND.exception("no such call (it ended or never was)"));
            }
            Call call = found.get();
            Future<Boolean> allowed = call.group() ? groupPair(call, caller, to, toDevice) : Future.succeededFuture(
                    directPair(call, caller, to, toDevice));
            return allowed.compose(ok -> {
                Push push = Push.newBuilder().setCallSignal(CallSignal.newBuilder().setCallId(request.getCallId())
                        .setFromUser(Ids.bytes(caller.userId())).setFromDevice(caller.deviceId())
                        .setBlob(request.getBlob()).setSeq(request.getSeq())).build();
                return notifier.push(List.of(DevicePusher.ref(to, toDevice)), push).map(OK);
            });
        });
    }

    /** 1:1: the two devices of an answered call, each to the other. */
    private static boolean directPair(Call call, Caller caller, UUID to, int toDevice) {
        boolean fromCaller = call.isCallerDevice(caller.userId(), caller.deviceId());
        boolean fromAnswerer = call.isAnsweringDevice(caller.userId(), caller.deviceId());
        if (!fromCaller && !fromAnswerer) {
            if (call.ringing() && caller.userId().equals(call.callee())) {
                throw Failure.CONFLICT.exception("the call is not answered yet: accept it first");
            }
            throw Failure.FORBIDDEN.exception("you are not in this call");
        }
        if (call.ringing()) {
            throw Failure.CONFLICT.exception("the call is not answered yet");
        }
        boolean toOther = fromCaller ? call.isAnsweringDevice(to, toDevice) : call.isCallerDevice(to, toDevice);
        if (!toOther) {
            throw Failure.NOT_FOUND.exception("that device is not in this call");
        }
        return true;
    }

    /** Group: both ends are participants. */
    private Future<Boolean> groupPair(Call call, Caller caller, UUID to, int toDevice) {
        return store.participants(call.id()).map(in -> {
            boolean from = in.stream().anyMatch(p -> p.userId().equals(caller.userId()) && p.deviceId() == caller.deviceId());
            if (!from) {
                throw Failure.FORBIDDEN.exception("you are not in this call");
            }
            boolean target = in.stream().anyMatch(p -> p.userId().equals(to) && p.deviceId() == toDevice);
            if (!target || (to.equals(caller.userId()) && toDevice == caller.deviceId())) {
                throw Failure.NOT_FOUND.exception("that device is not in this call");
            }
            return true;
        });
    }
}
