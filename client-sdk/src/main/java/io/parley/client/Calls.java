package io.parley.client;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.CallAcceptRequest;
import io.parley.proto.CallEvent;
import io.parley.proto.CallHangUpRequest;
import io.parley.proto.CallHistory;
import io.parley.proto.CallHistoryRequest;
import io.parley.proto.CallNotice;
import io.parley.proto.CallOfferRequest;
import io.parley.proto.CallOffered;
import io.parley.proto.CallRejectRequest;
import io.parley.proto.CallSignal;
import io.parley.proto.CallSignalRequest;
import io.parley.proto.CallState;
import io.parley.proto.Envelope;
import io.parley.proto.GroupCallJoinRequest;
import io.parley.proto.GroupCallStartRequest;
import io.parley.proto.Push;
import io.parley.proto.Request;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls on a connected client: signalling only. Offer, accept, reject, hang up, start and join
 * group calls, and relay opaque blobs (an app's WebRTC SDP and ICE candidates, which it should
 * encrypt end to end like a message) to the other devices of the call; media is the app's WebRTC
 * stack, relayed by Parley's TURN server when it must be ({@code turn_credentials}). Listeners get
 * incoming calls, every call event, relayed blobs, and missed-call chat entries. This device's
 * ringing calls are tracked: {@link #isRinging} turns false when the call is answered (here or
 * elsewhere), rejected or ended; the server ends a call nobody answered at its ring deadline.
 */
public final class Calls {
    private final ParleyClient client;
    private final Map<UUID, Long> ringing = new ConcurrentHashMap<>();
    private final Map<UUID, Integer> sequences = Collections.synchronizedMap(new HashMap<>());
    private Handler<CallEvent> incoming = e -> { };
    private Handler<CallEvent> events = e -> { };
    private Handler<CallSignal> signals = s -> { };
    private Handler<CallNotice> missed = n -> { };

    public Calls(ParleyClient client) {
        this.client = client;
        client.onPush(this::onPush);
    }

    /** A call rings on this device ({@code INCOMING}): answer with {@link #accept} or {@link #reject}. */
    public Calls onIncoming(Handler<CallEvent> handler) {
        this.incoming = handler;
        return this;
    }

    /** Every call event, incoming ones included: ringing, accepted, answered elsewhere, ended, participants. */
    public Calls onEvent(Handler<CallEvent> handler) {
        this.events = handler;
        return this;
    }

    /** A blob from another device of a call, as it sent it. */
    public Calls onSignal(Handler<CallSignal> handler) {
        this.signals = handler;
        return this;
    }

    /**
     * A call that was not answered (missed, or busy), from this device's inbox: it survives the device
     * being offline. Acks are the {@link Messenger}'s; attach one to the same client.
     */
    public Calls onMissed(Handler<CallNotice> handler) {
        this.missed = handler;
        return this;
    }

    public static UUID id(ByteString callId) {
        return Ids.uuid(callId, "call_id");
    }

    /** Rings every device of the user; the answer says how many rang now, or that the user is busy. */
    public Future<CallOffered> offer(UUID callee, boolean video) {
        return client.send(Request.newBuilder().setCallOffer(CallOfferRequest.newBuilder().setCallee(Ids.bytes(callee))
                .setVideo(video))).map(r -> r.getCallOffer());
    }

    /** Takes a ringing call on this device; the callee's other devices stop ringing. */
    public Future<CallState> accept(UUID call) {
        ringing.remove(call);
        return client.send(Request.newBuilder().setCallAccept(CallAcceptRequest.newBuilder().setCallId(Ids.bytes(call))))
                .map(r -> r.getCallAccept());
    }

    public Future<Void> reject(UUID call) {
        ringing.remove(call);
        return client.send(Request.newBuilder().setCallReject(CallRejectRequest.newBuilder().setCallId(Ids.bytes(call))))
                .mapEmpty();
    }

    /** Ends the call (cancels it before an answer; leaves a group call). */
    public Future<Void> hangUp(UUID call) {
        ringing.remove(call);
        return client.send(Request.newBuilder().setCallHangUp(CallHangUpRequest.newBuilder().setCallId(Ids.bytes(call))))
                .mapEmpty();
    }

    /** Sends a blob to one other device of the call, numbered in this device's order for that call. */
    public Future<Void> signal(UUID call, UUID toUser, int toDevice, byte[] blob) {
        int seq = sequences.merge(call, 1, Integer::sum);
        return client.send(Request.newBuilder().setCallSignal(CallSignalRequest.newBuilder().setCallId(Ids.bytes(call))
                .setToUser(Ids.bytes(toUser)).setToDevice(toDevice).setBlob(ByteString.copyFrom(blob)).setSeq(seq)))
                .mapEmpty();
    }

    /** Starts a group call with this device in it; every invitee's devices ring. */
    public Future<CallState> startGroup(List<UUID> invitees, boolean video) {
        GroupCallStartRequest.Builder start = GroupCallStartRequest.newBuilder().setVideo(video);
        invitees.forEach(u -> start.addInvitees(Ids.bytes(u)));
        return client.send(Request.newBuilder().setGroupCallStart(start)).map(r -> r.getGroupCallStart());
    }

    /** Joins a group call this account was invited to; the answer lists who is in (send each an SDP offer). */
    public Future<CallState> join(UUID call) {
        ringing.remove(call);
        return client.send(Request.newBuilder().setGroupCallJoin(GroupCallJoinRequest.newBuilder().setCallId(Ids.bytes(call))))
                .map(r -> r.getGroupCallJoin());
    }

    /** This account's calls, newest first; {@code beforeMs} 0 for the latest page. */
    public Future<CallHistory> history(int limit, long beforeMs) {
        return client.send(Request.newBuilder().setCallHistory(CallHistoryRequest.newBuilder().setLimit(limit)
                .setBeforeMs(beforeMs))).map(r -> r.getCallHistory());
    }

    /** True while the call rings on this device: until it is answered, rejected, or ended (missed included). */
    public boolean isRinging(UUID call) {
        return ringing.containsKey(call);
    }

    /** The calls ringing on this device now. */
    public Set<UUID> ringingCalls() {
        return Set.copyOf(ringing.keySet());
    }

    private void onPush(Push push) {
        if (push.hasCall()) {
            CallEvent event = push.getCall();
            UUID call = id(event.getCallId());
            switch (event.getKind()) {
                case INCOMING -> ringing.put(call, event.getRingUntilMs());
                case ANSWERED_ELSEWHERE, ENDED -> {
                    ringing.remove(call);
                    sequences.remove(call);
                }
                default -> { }
            }
            if (event.getKind() == CallEvent.Kind.INCOMING) {
                incoming.handle(event);
            }
            events.handle(event);
        } else if (push.hasCallSignal()) {
            signals.handle(push.getCallSignal());
        } else if (push.hasEnvelope() && push.getEnvelope().getKind() == Envelope.Kind.SYSTEM
                && push.getEnvelope().getNotice().hasCall()) {
            missed.handle(push.getEnvelope().getNotice().getCall());
        }
    }
}
