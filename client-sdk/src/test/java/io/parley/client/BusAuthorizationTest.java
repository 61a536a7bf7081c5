package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.parley.bus.Addresses;
import io.parley.bus.BusKey;
import io.parley.bus.Caller;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Request;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every client request kind a service serves on the bus, sent on the node's own bus as an intruder
 * would: without an identity, with a user and device but no signature, with a signature made with
 * another key, and with a signed identity moved onto another user. Each is refused with 401 before
 * its handler runs; only the edge's signed stamp opens the door.
 */
class BusAuthorizationTest {
    @Test
    void everyServedRequestKindRefusesAnUnsignedOrForgedIdentity() {
        Vertx bus = TestNode.get().vertx();
        Vertx elsewhere = Vertx.vertx();
        DeviceCredentials victim = Users.register(elsewhere, Users.uniqueName("victim"));
        UUID victimId = io.parley.bus.Ids.uuid(victim.getUserId(), "user_id");
        BusKey foreignKey = BusKey.of(elsewhere);
        Await.result(elsewhere.close());
        BusKey realKey = BusKey.of(bus);
        List<String> served = new ArrayList<>();
        List<String> unserved = new ArrayList<>();

        for (FieldDescriptor field : Request.getDescriptor().getOneofs().get(0).getFields()) {
            Request.BodyCase kind = Request.BodyCase.forNumber(field.getNumber());
            String address = Addresses.rpc(kind);
            Message body = Request.newBuilder().newBuilderForField(field).build();

            Throwable bare = Await.failure(bus.eventBus().request(address, body));
            if (bare instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
                unserved.add(field.getName());
                continue;
            }
            served.add(field.getName());
            assertRefused(bare, field.getName() + " without an identity");

            DeliveryOptions unsigned = new DeliveryOptions().addHeader(Caller.USER_HEADER, victimId.toString())
                    .addHeader(Caller.DEVICE_HEADER, "1");
            assertRefused(Await.failure(bus.eventBus().request(address, body, unsigned)),
                    field.getName() + " with an unsigned identity");

            DeliveryOptions foreign = new Caller(victimId, 1).stamp(new DeliveryOptions(), foreignKey);
            assertRefused(Await.failure(bus.eventBus().request(address, body, foreign)),
                    field.getName() + " signed with another key");

            // A real signature for someone else, with the user header swapped for the victim's.
            DeliveryOptions moved = new Caller(UUID.randomUUID(), 1).stamp(new DeliveryOptions(), realKey);
            moved.getHeaders().set(Caller.USER_HEADER, victimId.toString());
            assertRefused(Await.failure(bus.eventBus().request(address, body, moved)),
                    field.getName() + " with a signature moved to another user");
        }

        System.out.printf("bus authorization: %d request kinds served and refusing forged callers, %d served by the edge "
                + "itself %s%n", served.size(), unserved.size(), unserved);
        assertThat(served).as("request kinds served on the bus").hasSizeGreaterThan(30);
        assertThat(unserved).as("kinds only the edge answers").containsExactlyInAnyOrder("authenticate", "heartbeat");
    }

    private static void assertRefused(Throwable failure, String what) {
        assertThat(failure).as(what).isInstanceOf(ReplyException.class);
        ReplyException reply = (ReplyException) failure;
        assertThat(reply.failureCode()).as(what + ": " + reply.getMessage()).isEqualTo(401);
        assertThat(reply.getMessage()).as(what).contains("identity");
    }
}
