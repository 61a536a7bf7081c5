package io.parley.client;

import static io.parley.client.AccountsAndDevicesTest.code;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.proto.CallEvent;
import io.parley.proto.CallOutcome;
import io.parley.proto.CallParticipant;
import io.parley.proto.CallRecord;
import io.parley.proto.CallState;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group calls as a mesh: invitees ring, join and leave, everyone in gets the list, blobs go pairwise, 8 at most. */
class GroupCallsTest {
    /** The server's invitee cap, as docs/protocol.md states it. */
    private static final int MAX_INVITEES = 32;

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
    void aMeshOfThreeJoinsTellsEveryoneTheListRelaysPairwiseAndLeaves() {
        CallDevice alice = register("alice");
        CallDevice bob = register("bob");
        CallDevice carol = register("carol");

        CallState started = Await.result(alice.calls.startGroup(List.of(bob.user(), carol.user()), true));
        UUID call = Calls.id(started.getCallId());
        assertThat(started.getGroup()).isTrue();
        assertThat(users(started.getParticipantsList())).containsExactly(alice.user());
        CallEvent ring = bob.awaitEvent(call, CallEvent.Kind.INCOMING);
        carol.awaitEvent(call, CallEvent.Kind.INCOMING);
        assertThat(ring.getGroup()).isTrue();
        assertThat(users(ring.getParticipantsList())).containsExactly(alice.user());

        CallState bobIn = Await.result(bob.calls.join(call));
        assertThat(users(bobIn.getParticipantsList())).containsExactly(alice.user(), bob.user());
        Await.until(() -> alice.events(call, CallEvent.Kind.PARTICIPANTS).size() == 1, "alice to see bob join");
        CallState carolIn = Await.result(carol.calls.join(call));
        assertThat(users(carolIn.getParticipantsList())).containsExactly(alice.user(), bob.user(), carol.user());
        Await.until(() -> alice.events(call, CallEvent.Kind.PARTICIPANTS).size() == 2
                && bob.events(call, CallEvent.Kind.PARTICIPANTS).size() == 1, "alice and bob to see carol join");
        assertThat(users(bob.events(call, CallEvent.Kind.PARTICIPANTS).get(0).getParticipantsList()))
                .containsExactly(alice.user(), bob.user(), carol.user());
        assertThat(carol.events(call, CallEvent.Kind.PARTICIPANTS)).as("the newcomer has the list from its answer").isEmpty();

        // The newcomer offers to each participant; each answers it alone.
        Await.result(carol.calls.signal(call, alice.user(), alice.device(), CallsTest.bytes("offer-to-alice")));
        Await.result(carol.calls.signal(call, bob.user(), bob.device(), CallsTest.bytes("offer-to-bob")));
        Await.result(bob.calls.signal(call, carol.user(), carol.device(), CallsTest.bytes("answer-from-bob")));
        Await.until(() -> alice.signals.size() == 1 && bob.signals.size() == 1 && carol.signals.size() == 1, "pairwise blobs");
        assertThat(alice.signals.get(0).getBlob().toStringUtf8()).isEqualTo("offer-to-alice");
        assertThat(bob.signals.get(0).getBlob().toStringUtf8()).isEqualTo("offer-to-bob");
        assertThat(carol.signals.get(0).getFromUser()).isEqualTo(bob.credentials.getUserId());

        Await.result(bob.calls.hangUp(call));
        Await.until(() -> alice.events(call, CallEvent.Kind.PARTICIPANTS).size() == 3
                && carol.events(call, CallEvent.Kind.PARTICIPANTS).size() == 1, "alice and carol to see bob leave");
        assertThat(users(carol.events(call, CallEvent.Kind.PARTICIPANTS).get(0).getParticipantsList()))
                .containsExactly(alice.user(), carol.user());
        assertThat(code(bob.calls.signal(call, carol.user(), carol.device(), CallsTest.bytes("late"))))
                .as("bob is out").isEqualTo(403);
        CallRecord bobs = history(bob, call);
        assertThat(bobs.getGroup()).isTrue();
        assertThat(bobs.getOutcome()).isEqualTo(CallOutcome.ANSWERED);
        assertThat(bobs.getPeerUser()).isEqualTo(alice.credentials.getUserId());

        Await.result(alice.calls.hangUp(call));
        Await.result(carol.calls.hangUp(call));
        assertThat(code(bob.calls.join(call))).as("the last one out ended the call").isEqualTo(404);
        assertThat(history(alice, call).getOutgoing()).isTrue();
        assertThat(history(carol, call).getOutgoing()).isFalse();
    }

    @Test
    void aNinthParticipantIsRefusedWith409UntilSomeoneLeaves() {
        CallDevice host = register("host");
        List<CallDevice> guests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            guests.add(register("guest" + i));
        }
        UUID call = Calls.id(Await.result(host.calls.startGroup(guests.stream().map(CallDevice::user).toList(), false))
                .getCallId());
        for (int i = 0; i < 7; i++) {
            Await.result(guests.get(i).calls.join(call));
        }

        CallDevice ninth = guests.get(7);
        assertThat(code(ninth.calls.join(call))).isEqualTo(409);
        assertThat(code(guests.get(0).calls.join(call))).as("one device per user").isEqualTo(409);

        Await.result(guests.get(6).calls.hangUp(call));
        assertThat(Await.result(ninth.calls.join(call)).getParticipantsCount()).as("room again after a leave").isEqualTo(8);
        Await.result(ninth.calls.hangUp(call));
        Await.result(guests.get(6).calls.join(call));
        Await.result(host.calls.hangUp(call));
        for (int i = 0; i < 7; i++) {
            Await.result(guests.get(i).calls.hangUp(call));
        }
        assertThat(history(ninth, call).getOutcome()).isEqualTo(CallOutcome.ANSWERED);
    }

    @Test
    void anInviteeWhoNeverJoinsGetsAMissedCallWhenTheCallEnds() {
        CallDevice alice = register("alice");
        CallDevice bob = register("bob");
        CallDevice carol = register("carol");
        UUID call = Calls.id(Await.result(alice.calls.startGroup(List.of(bob.user(), carol.user()), false)).getCallId());
        Await.result(bob.calls.join(call));

        Await.result(bob.calls.hangUp(call));
        Await.result(alice.calls.hangUp(call));

        Await.until(() -> !carol.missed.isEmpty(), "carol's missed group call");
        assertThat(carol.missed.get(0).getGroup()).isTrue();
        assertThat(history(carol, call).getOutcome()).isEqualTo(CallOutcome.MISSED);
        assertThat(bob.missed).isEmpty();
    }

    @Test
    void groupCallBadInputIsRefused() {
        CallDevice alice = register("alice");
        CallDevice bob = register("bob");
        CallDevice mallory = register("mallory");
        UUID call = Calls.id(Await.result(alice.calls.startGroup(List.of(bob.user()), false)).getCallId());

        assertThat(code(mallory.calls.join(call))).as("not invited").isEqualTo(403);
        assertThat(code(mallory.calls.hangUp(call))).as("not in it").isEqualTo(403);
        assertThat(code(mallory.calls.signal(call, alice.user(), alice.device(), CallsTest.bytes("x")))).isEqualTo(403);
        assertThat(code(bob.calls.join(UUID.randomUUID()))).isEqualTo(404);
        assertThat(code(alice.calls.startGroup(List.of(), false))).isEqualTo(400);
        assertThat(code(mallory.calls.startGroup(List.of(mallory.user()), false))).isEqualTo(400);
        assertThat(code(mallory.calls.startGroup(List.of(UUID.randomUUID()), false))).isEqualTo(404);
        List<UUID> many = new ArrayList<>();
        for (int i = 0; i < MAX_INVITEES + 1; i++) {
            many.add(UUID.randomUUID());
        }
        assertThat(code(mallory.calls.startGroup(many, false))).isEqualTo(413);
        assertThat(code(alice.calls.startGroup(List.of(mallory.user()), false))).as("alice is in a call").isEqualTo(409);
        Await.result(bob.calls.join(call));
        assertThat(code(bob.calls.signal(call, bob.user(), bob.device(), CallsTest.bytes("x")))).as("to itself")
                .isEqualTo(404);
        assertThat(code(bob.calls.accept(call))).as("a group call is joined, not accepted").isEqualTo(400);
        Await.result(bob.calls.hangUp(call));
        Await.result(alice.calls.hangUp(call));
    }

    private static List<UUID> users(List<CallParticipant> participants) {
        return participants.stream().map(p -> io.parley.bus.Ids.uuid(p.getUserId(), "user_id")).toList();
    }

    private static CallRecord history(CallDevice device, UUID call) {
        Await.until(() -> Await.result(device.calls.history(10, 0)).getCallsList().stream()
                .anyMatch(r -> Calls.id(r.getCallId()).equals(call)), "call " + call + " in the history of " + device.user());
        return Await.result(device.calls.history(10, 0)).getCallsList().stream()
                .filter(r -> Calls.id(r.getCallId()).equals(call)).findFirst().orElseThrow();
    }
}
