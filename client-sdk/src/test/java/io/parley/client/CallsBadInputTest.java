package io.parley.client;

import static io.parley.client.AccountsAndDevicesTest.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.proto.CallAcceptRequest;
import io.parley.proto.CallEvent;
import io.parley.proto.CallHistoryRequest;
import io.parley.proto.CallOfferRequest;
import io.parley.proto.CallSignalRequest;
import io.parley.proto.Request;
import io.vertx.core.Vertx;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the calls role refuses, each with its code, and that a refusal leaves the call as it was. */
class CallsBadInputTest {
    /** calls.maxSignalBytes' default. */
    private static final int MAX_SIGNAL_BYTES = 64 * 1024;

    private Vertx vertx;
    private CallDevice alice;
    private CallDevice bob;
    private CallDevice mallory;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        alice = new CallDevice(vertx, Users.register(vertx, Users.uniqueName("alice")));
        bob = new CallDevice(vertx, Users.register(vertx, Users.uniqueName("bob")));
        mallory = new CallDevice(vertx, Users.register(vertx, Users.uniqueName("mallory")));
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void aCallToAnUnknownUserIs404AndToYourself400() {
        assertThat(code(alice.calls.offer(UUID.randomUUID(), false))).isEqualTo(404);
        assertThat(code(alice.calls.offer(alice.user(), false))).isEqualTo(400);
    }

    @Test
    void malformedIdsAre400() {
        ByteString bad = ByteString.copyFromUtf8("not-an-id");
        assertThat(code(alice.client.send(Request.newBuilder().setCallOffer(CallOfferRequest.newBuilder().setCallee(bad)))))
                .isEqualTo(400);
        assertThat(code(alice.client.send(Request.newBuilder().setCallAccept(CallAcceptRequest.newBuilder().setCallId(bad)))))
                .isEqualTo(400);
        assertThat(code(alice.client.send(Request.newBuilder().setCallSignal(CallSignalRequest.newBuilder().setCallId(bad)
                .setToUser(bob.credentials.getUserId()).setBlob(ByteString.copyFromUtf8("x")))))).isEqualTo(400);
        assertThat(code(alice.client.send(Request.newBuilder().setCallAccept(CallAcceptRequest.getDefaultInstance()))))
                .as("a missing id").isEqualTo(400);
    }

    @Test
    void signallingForACallYouAreNotInIs403AndForNoCall404() {
        UUID call = answeredCall();

        assertThat(code(mallory.calls.signal(call, bob.user(), bob.device(), CallsTest.bytes("x")))).isEqualTo(403);
        assertThat(code(mallory.calls.hangUp(call))).isEqualTo(403);
        assertThat(code(mallory.calls.accept(call))).isEqualTo(403);
        assertThat(code(alice.calls.signal(UUID.randomUUID(), bob.user(), bob.device(), CallsTest.bytes("x")))).isEqualTo(404);
        assertThat(code(alice.calls.signal(call, mallory.user(), 1, CallsTest.bytes("x")))).as("a device not in the call")
                .isEqualTo(404);
        assertThat(mallory.signals).isEmpty();
        assertCallStillUp(call);
    }

    @Test
    void anOversizedBlobIs413AndAnEmptyOne400() {
        UUID call = answeredCall();

        assertThat(code(alice.calls.signal(call, bob.user(), bob.device(), new byte[MAX_SIGNAL_BYTES + 1]))).isEqualTo(413);
        assertThat(code(alice.calls.signal(call, bob.user(), bob.device(), new byte[0]))).isEqualTo(400);
        Await.result(alice.calls.signal(call, bob.user(), bob.device(), new byte[MAX_SIGNAL_BYTES]));
        Await.until(() -> bob.signals.size() == 1, "the blob at the limit");
        assertThat(bob.signals.get(0).getBlob().size()).isEqualTo(MAX_SIGNAL_BYTES);
        assertCallStillUp(call);
    }

    @Test
    void signallingBeforeTheAnswerAndAnsweringTwiceAre409() {
        CallDevice bobTablet = new CallDevice(vertx, Users.link(vertx, bob.client, "tablet"));
        UUID call = Calls.id(Await.result(alice.calls.offer(bob.user(), false)).getCallId());
        bobTablet.awaitEvent(call, CallEvent.Kind.INCOMING);

        assertThat(code(alice.calls.signal(call, bob.user(), bob.device(), CallsTest.bytes("early")))).isEqualTo(409);
        Await.result(bob.calls.accept(call));
        assertThat(code(bobTablet.calls.accept(call))).isEqualTo(409);
        assertThat(code(bobTablet.calls.reject(call))).isEqualTo(409);
        assertThat(code(bobTablet.calls.hangUp(call))).as("the call is on bob's phone").isEqualTo(403);
        assertCallStillUp(call);
    }

    private UUID answeredCall() {
        UUID call = Calls.id(Await.result(alice.calls.offer(bob.user(), false)).getCallId());
        Await.result(bob.calls.accept(call));
        alice.awaitEvent(call, CallEvent.Kind.ACCEPTED);
        return call;
    }

    /** The refusals changed nothing: the two devices still relay to each other, and the hang-up works. */
    private void assertCallStillUp(UUID call) {
        int before = alice.signals.size();
        Await.result(bob.calls.signal(call, alice.user(), alice.device(), CallsTest.bytes("still here")));
        Await.until(() -> alice.signals.size() == before + 1, "the call to still relay");
        Await.result(alice.calls.hangUp(call));
        bob.awaitEvent(call, CallEvent.Kind.ENDED);
    }

    @Test
    void aHistoryPageOverTheLimitIs400() {
        assertThat(code(alice.client.send(Request.newBuilder().setCallHistory(CallHistoryRequest.newBuilder().setLimit(101)))))
                .isEqualTo(400);
        assertThat(code(alice.client.send(Request.newBuilder().setCallHistory(CallHistoryRequest.newBuilder().setLimit(-1)))))
                .as("2^32 - 1 as uint32").isEqualTo(400);
        assertThat(code(alice.client.send(Request.newBuilder().setCallHistory(CallHistoryRequest.newBuilder()
                .setBeforeMs(Long.MIN_VALUE))))).as("over 2^63 as uint64").isEqualTo(400);
    }
}
