package io.parley.client;

import static io.parley.client.AccountsAndDevicesTest.code;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.proto.BlockRequest;
import io.parley.proto.CallEvent;
import io.parley.proto.CallOffered;
import io.parley.proto.CallOutcome;
import io.parley.proto.CallRecord;
import io.parley.proto.CallSignal;
import io.parley.proto.CallState;
import io.parley.proto.Request;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 1:1 calls through the real node: ringing on every device, accept, reject, busy, missed, signalling, history. */
class CallsTest {
    /** calls.reconnectGraceSeconds' default. */
    private static final Duration RECONNECT_GRACE = Duration.ofSeconds(15);

    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    private CallDevice register(String name) {
        return new CallDevice(vertx, Users.register(vertx, Users.uniqueName(name)));
    }

    @Test
    void aCallRingsEveryDeviceTheAnswerStopsTheOthersSignalsFlowBothWaysAndBothHistoriesHaveTheDuration() {
        CallDevice alice = register("alice");
        CallDevice bobPhone = register("bob");
        CallDevice bobTablet = new CallDevice(vertx, Users.link(vertx, bobPhone.client, "tablet"));

        CallOffered offered = Await.result(alice.calls.offer(bobPhone.user(), true));
        UUID call = Calls.id(offered.getCallId());
        assertThat(offered.getDevicesRung()).isEqualTo(2);
        assertThat(offered.getBusy()).isFalse();
        CallEvent ring = bobPhone.awaitEvent(call, CallEvent.Kind.INCOMING);
        bobTablet.awaitEvent(call, CallEvent.Kind.INCOMING);
        assertThat(ring.getCaller()).isEqualTo(alice.credentials.getUserId());
        assertThat(ring.getCallerDevice()).isEqualTo(alice.device());
        assertThat(ring.getVideo()).isTrue();
        assertThat(bobPhone.calls.isRinging(call)).isTrue();
        assertThat(bobTablet.calls.isRinging(call)).isTrue();

        CallState state = Await.result(bobTablet.calls.accept(call));
        assertThat(state.getParticipantsList()).extracting(p -> p.getDeviceId()).containsExactly(alice.device(),
                bobTablet.device());
        CallEvent accepted = alice.awaitEvent(call, CallEvent.Kind.ACCEPTED);
        assertThat(accepted.getByUser()).isEqualTo(bobTablet.credentials.getUserId());
        assertThat(accepted.getByDevice()).isEqualTo(bobTablet.device());
        bobPhone.awaitEvent(call, CallEvent.Kind.ANSWERED_ELSEWHERE);
        assertThat(bobPhone.calls.isRinging(call)).as("the phone stopped ringing").isFalse();

        Await.result(alice.calls.signal(call, bobTablet.user(), bobTablet.device(), bytes("sdp-offer")));
        Await.result(alice.calls.signal(call, bobTablet.user(), bobTablet.device(), bytes("ice-1")));
        Await.result(bobTablet.calls.signal(call, alice.user(), alice.device(), bytes("sdp-answer")));
        Await.until(() -> bobTablet.signals.size() == 2 && alice.signals.size() == 1, "the blobs both ways");
        assertThat(bobTablet.signals).extracting(s -> s.getBlob().toStringUtf8()).containsExactly("sdp-offer", "ice-1");
        assertThat(bobTablet.signals).extracting(CallSignal::getSeq).containsExactly(1, 2);
        CallSignal answer = alice.signals.get(0);
        assertThat(answer.getBlob().toStringUtf8()).isEqualTo("sdp-answer");
        assertThat(answer.getFromUser()).isEqualTo(bobTablet.credentials.getUserId());
        assertThat(answer.getFromDevice()).isEqualTo(bobTablet.device());

        TestNode.CLOCK.advance(Duration.ofSeconds(3));
        Await.result(alice.calls.hangUp(call));
        CallEvent ended = bobTablet.awaitEvent(call, CallEvent.Kind.ENDED);
        assertThat(ended.getOutcome()).isEqualTo(CallOutcome.ANSWERED);
        assertThat(ended.getByUser()).isEqualTo(alice.credentials.getUserId());

        CallRecord mine = latest(alice, call);
        CallRecord theirs = latest(bobPhone, call);
        assertThat(mine.getOutgoing()).isTrue();
        assertThat(mine.getPeerUser()).isEqualTo(bobPhone.credentials.getUserId());
        assertThat(mine.getOutcome()).isEqualTo(CallOutcome.ANSWERED);
        assertThat(mine.getVideo()).isTrue();
        assertThat(mine.getDurationMs()).isBetween(3_000L, 60_000L);
        assertThat(theirs.getOutgoing()).isFalse();
        assertThat(theirs.getPeerUser()).isEqualTo(alice.credentials.getUserId());
        assertThat(theirs.getDurationMs()).isEqualTo(mine.getDurationMs());
        assertThat(bobPhone.signals).as("nothing relayed to the device that did not answer").isEmpty();
        assertThat(bobPhone.missed).as("an answered call is no missed call").isEmpty();
    }

    @Test
    void aRejectEndsTheCallForTheCallerAndStopsTheCalleesOtherDevices() {
        CallDevice alice = register("alice");
        CallDevice bobPhone = register("bob");
        CallDevice bobTablet = new CallDevice(vertx, Users.link(vertx, bobPhone.client, "tablet"));
        UUID call = Calls.id(Await.result(alice.calls.offer(bobPhone.user(), false)).getCallId());
        bobTablet.awaitEvent(call, CallEvent.Kind.INCOMING);

        Await.result(bobPhone.calls.reject(call));

        assertThat(alice.awaitEvent(call, CallEvent.Kind.ENDED).getOutcome()).isEqualTo(CallOutcome.REJECTED);
        assertThat(bobTablet.awaitEvent(call, CallEvent.Kind.ENDED).getOutcome()).isEqualTo(CallOutcome.REJECTED);
        assertThat(bobTablet.calls.isRinging(call)).isFalse();
        assertThat(latest(alice, call).getOutcome()).isEqualTo(CallOutcome.REJECTED);
        assertThat(latest(bobPhone, call).getDurationMs()).isZero();
        assertThat(code(bobTablet.calls.accept(call))).as("a rejected call is gone").isEqualTo(404);
    }

    @Test
    void aCalleeAlreadyInACallIsBusyAndSeesTheCallInItsChat() {
        CallDevice alice = register("alice");
        CallDevice bob = register("bob");
        CallDevice carol = register("carol");
        UUID first = Calls.id(Await.result(alice.calls.offer(bob.user(), false)).getCallId());
        Await.result(bob.calls.accept(first));

        CallOffered second = Await.result(carol.calls.offer(bob.user(), false));

        assertThat(second.getBusy()).isTrue();
        assertThat(second.getDevicesRung()).isZero();
        UUID busyCall = Calls.id(second.getCallId());
        assertThat(latest(carol, busyCall).getOutcome()).isEqualTo(CallOutcome.BUSY);
        assertThat(latest(bob, busyCall).getOutcome()).isEqualTo(CallOutcome.BUSY);
        Await.until(() -> !bob.missed.isEmpty(), "the busy call's chat entry");
        assertThat(bob.missed.get(0).getCaller()).isEqualTo(carol.credentials.getUserId());
        assertThat(bob.missed.get(0).getOutcome()).isEqualTo(CallOutcome.BUSY);
        assertThat(bob.events.stream().filter(e -> Calls.id(e.getCallId()).equals(busyCall))).as("nothing rang").isEmpty();
        assertThat(code(alice.calls.offer(carol.user(), false))).as("the caller itself is in a call").isEqualTo(409);
        Await.result(alice.calls.hangUp(first));
    }

    @Test
    void aCallNobodyAnswersIsMissedAtTheRingDeadlineOnBothSidesAndInTheCalleesChat() {
        CallDevice alice = register("alice");
        CallDevice bob = register("bob");
        UUID call = Calls.id(Await.result(alice.calls.offer(bob.user(), false)).getCallId());
        bob.awaitEvent(call, CallEvent.Kind.INCOMING);

        TestNode.CLOCK.advance(Duration.ofSeconds(46));

        assertThat(alice.awaitEvent(call, CallEvent.Kind.ENDED).getOutcome()).isEqualTo(CallOutcome.MISSED);
        assertThat(bob.awaitEvent(call, CallEvent.Kind.ENDED).getOutcome()).isEqualTo(CallOutcome.MISSED);
        assertThat(bob.calls.isRinging(call)).isFalse();
        Await.until(() -> !bob.missed.isEmpty(), "the missed-call entry in bob's chat");
        assertThat(bob.missed.get(0).getCallId()).isEqualTo(Ids.bytes(call));
        assertThat(bob.missed.get(0).getOutcome()).isEqualTo(CallOutcome.MISSED);
        assertThat(latest(alice, call).getOutcome()).isEqualTo(CallOutcome.MISSED);
        assertThat(latest(bob, call).getAnsweredAtMs()).isZero();
        assertThat(code(bob.calls.accept(call))).as("too late").isEqualTo(404);
    }

    @Test
    void aCalleeWithNoDeviceOnlineRingsWhenADeviceConnectsWithinTheWindow() {
        CallDevice alice = register("alice");
        var bobCredentials = Users.register(vertx, Users.uniqueName("bob"));
        UUID bobId = Ids.uuid(bobCredentials.getUserId(), "user_id");

        CallOffered offered = Await.result(alice.calls.offer(bobId, false));
        UUID call = Calls.id(offered.getCallId());
        assertThat(offered.getDevicesRung()).isZero();
        CallDevice bob = new CallDevice(vertx, bobCredentials);

        bob.awaitEvent(call, CallEvent.Kind.INCOMING);
        alice.awaitEvent(call, CallEvent.Kind.RINGING);
        assertThat(bob.calls.isRinging(call)).isTrue();
        Await.result(bob.calls.accept(call));
        alice.awaitEvent(call, CallEvent.Kind.ACCEPTED);
        Await.result(bob.calls.hangUp(call));
        assertThat(alice.awaitEvent(call, CallEvent.Kind.ENDED).getOutcome()).isEqualTo(CallOutcome.ANSWERED);
    }

    @Test
    void aCallCancelledWhileTheCalleeWasOfflineWaitsInItsInboxAsAMissedCall() {
        CallDevice alice = register("alice");
        var bobCredentials = Users.register(vertx, Users.uniqueName("bob"));
        UUID call = Calls.id(Await.result(alice.calls.offer(Ids.uuid(bobCredentials.getUserId(), "user_id"), false))
                .getCallId());
        Await.result(alice.calls.hangUp(call));

        CallDevice bob = new CallDevice(vertx, bobCredentials);

        Await.until(() -> !bob.missed.isEmpty(), "the missed call replayed from bob's inbox");
        assertThat(bob.missed.get(0).getCallId()).isEqualTo(Ids.bytes(call));
        assertThat(bob.missed.get(0).getCaller()).isEqualTo(alice.credentials.getUserId());
        assertThat(bob.events(call, CallEvent.Kind.INCOMING)).as("an ended call no longer rings").isEmpty();
        assertThat(latest(bob, call).getOutcome()).isEqualTo(CallOutcome.MISSED);
    }

    @Test
    void aCallEndsWhenTheAnsweringDeviceIsNotBackWithinTheGraceAndNobodyStaysBusy() {
        CallDevice alice = register("alice");
        CallDevice bob = register("bob");
        UUID call = Calls.id(Await.result(alice.calls.offer(bob.user(), false)).getCallId());
        Await.result(bob.calls.accept(call));

        bob.close();
        Await.until(() -> disconnectsNoted(bob.user()) > 0, "bob's disconnect to be noted");
        TestNode.CLOCK.advance(RECONNECT_GRACE.plusSeconds(1));

        CallEvent ended = alice.awaitEvent(call, CallEvent.Kind.ENDED);
        assertThat(ended.getOutcome()).isEqualTo(CallOutcome.ANSWERED);
        assertThat(ended.getByDevice()).isEqualTo(bob.device());
        CallOffered again = Await.result(alice.calls.offer(bob.user(), false));
        assertThat(again.getBusy()).as("bob is free again").isFalse();
        Await.result(alice.calls.hangUp(Calls.id(again.getCallId())));
    }

    @Test
    void aCallSurvivesTheAnsweringDeviceReconnectingWithinTheGrace() {
        CallDevice alice = register("alice");
        CallDevice bob = register("bob");
        UUID call = Calls.id(Await.result(alice.calls.offer(bob.user(), false)).getCallId());
        Await.result(bob.calls.accept(call));
        List<String> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        bob.client.onConnectionChange(states::add);

        bob.client.dropConnection();
        Await.until(() -> states.contains("connected"), "bob to reconnect");
        Await.until(() -> disconnectsNoted(bob.user()) > 0, "the drop to be noted");
        TestNode.CLOCK.advance(RECONNECT_GRACE.plusSeconds(1));
        Await.until(() -> disconnectsNoted(bob.user()) == 0, "the sweep to look at the drop");

        Await.result(alice.calls.signal(call, bob.user(), bob.device(), bytes("still in the call")));
        Await.until(() -> bob.signals.size() == 1, "the call to still relay to bob");
        assertThat(alice.events(call, CallEvent.Kind.ENDED)).isEmpty();
        Await.result(alice.calls.hangUp(call));
        assertThat(bob.awaitEvent(call, CallEvent.Kind.ENDED).getOutcome()).isEqualTo(CallOutcome.ANSWERED);
    }

    @Test
    void aBlockedCallerGets403AndNothingRings() {
        CallDevice alice = register("alice");
        CallDevice bob = register("bob");
        Await.result(bob.client.send(Request.newBuilder().setBlock(BlockRequest.newBuilder()
                .setUserId(alice.credentials.getUserId()))));

        assertThat(code(alice.calls.offer(bob.user(), false))).isEqualTo(403);
        assertThat(code(alice.calls.startGroup(List.of(bob.user()), false))).isEqualTo(403);
        assertThat(bob.events).isEmpty();
        assertThat(Await.result(alice.calls.history(10, 0)).getCallsList()).isEmpty();
    }

    private static CallRecord latest(CallDevice device, UUID call) {
        Await.until(() -> Await.result(device.calls.history(10, 0)).getCallsList().stream()
                .anyMatch(r -> Calls.id(r.getCallId()).equals(call)), "call " + call + " in the history of " + device.user());
        return Await.result(device.calls.history(10, 0)).getCallsList().stream()
                .filter(r -> Calls.id(r.getCallId()).equals(call)).findFirst().orElseThrow();
    }

    /** This user's disconnects from calls that the node noted and has not yet looked at (in its Redis). */
    private long disconnectsNoted(UUID user) {
        io.vertx.redis.client.Redis redis = io.vertx.redis.client.Redis.createClient(vertx, TestNode.get().redis());
        try {
            io.vertx.redis.client.Response members = Await.result(redis.send(io.vertx.redis.client.Request.cmd(
                    io.vertx.redis.client.Command.ZRANGE).arg("parley:{calls}:gone").arg(0).arg(-1)));
            long count = 0;
            for (io.vertx.redis.client.Response m : members) {
                if (m.toString().contains("|" + user + "|")) {
                    count++;
                }
            }
            return count;
        } finally {
            redis.close();
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
