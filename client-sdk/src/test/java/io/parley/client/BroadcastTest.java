package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.proto.AddContactRequest;
import io.parley.proto.BlockRequest;
import io.parley.proto.BroadcastList;
import io.parley.proto.Envelope;
import io.parley.proto.Request;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Broadcast lists: each eligible recipient gets an ordinary 1:1 message; only those who have the sender as a contact. */
class BroadcastTest {
    private Vertx vertx;
    private final List<GroupDevice> devices = new ArrayList<>();
    private GroupDevice alice;
    private GroupDevice bob;
    private GroupDevice carol;
    private GroupDevice dave;
    private GroupDevice eve;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        String aliceName = Users.uniqueName("alice");
        alice = device(Users.register(vertx, aliceName));
        bob = device(Users.register(vertx, Users.uniqueName("bob")));
        carol = device(Users.register(vertx, Users.uniqueName("carol")));
        dave = device(Users.register(vertx, Users.uniqueName("dave")));
        eve = device(Users.register(vertx, Users.uniqueName("eve")));
        for (GroupDevice d : List.of(bob, carol, eve)) {
            Await.result(d.client.send(Request.newBuilder().setAddContact(AddContactRequest.newBuilder().setUsername(aliceName))));
        }
        Await.result(eve.client.send(Request.newBuilder().setBlock(BlockRequest.newBuilder().setUserId(Ids.bytes(alice.user())))));
    }

    @AfterEach
    void tearDown() {
        devices.forEach(GroupDevice::close);
        Await.result(vertx.close());
    }

    private GroupDevice device(io.parley.proto.DeviceCredentials credentials) {
        GroupDevice device = new GroupDevice(vertx, credentials);
        devices.add(device);
        return device;
    }

    private static List<String> oneToOneTexts(GroupDevice device, UUID from) {
        return device.others.stream().filter(e -> e.getKind() == Envelope.Kind.MESSAGE && e.getGroupId().isEmpty()
                        && e.getSenderUser().equals(Ids.bytes(from)))
                .map(e -> e.getContent().toStringUtf8()).toList();
    }

    @Test
    void aBroadcastReachesAsOneToOneOnlyTheRecipientsWhoHaveTheSenderAsAContact() {
        BroadcastList list = Await.result(alice.groups.api().createBroadcastList("friends",
                List.of(bob.user(), carol.user(), dave.user(), eve.user())));
        UUID listId = Ids.uuid(list.getListId(), "list_id");

        Broadcaster.Result result = Await.result(new Broadcaster(alice.client, alice.messenger)
                .send(listId, "party on friday".getBytes(StandardCharsets.UTF_8)));

        assertThat(result.sent()).containsExactly(bob.user(), carol.user());
        assertThat(result.skipped()).containsExactly(dave.user(), eve.user());
        Await.until(() -> oneToOneTexts(bob, alice.user()).contains("party on friday")
                && oneToOneTexts(carol, alice.user()).contains("party on friday"), "the contacts to get it 1:1");
        Envelope atBob = bob.others.stream().filter(e -> e.getKind() == Envelope.Kind.MESSAGE).findFirst().orElseThrow();
        assertThat(atBob.getConversationUser()).as("a 1:1 conversation with alice").isEqualTo(Ids.bytes(alice.user()));

        Await.result(bob.messenger.send(alice.user(), "count me in".getBytes(StandardCharsets.UTF_8)));
        Await.until(() -> oneToOneTexts(alice, bob.user()).contains("count me in"), "bob's reply to come back 1:1");
        Await.result(alice.messenger.flushAcks());
        assertThat(oneToOneTexts(dave, alice.user())).as("not a contact of alice's").isEmpty();
        assertThat(oneToOneTexts(eve, alice.user())).as("blocks alice").isEmpty();
    }

    @Test
    void listsAreTheOwnersAndBadInputIsRefused() {
        BroadcastList list = Await.result(alice.groups.api().createBroadcastList("mine", List.of(bob.user())));
        UUID listId = Ids.uuid(list.getListId(), "list_id");

        assertThat(code(bob.groups.api().broadcastTargets(listId))).as("someone else's list").isEqualTo(404);
        assertThat(code(alice.groups.api().broadcastTargets(UUID.randomUUID()))).isEqualTo(404);
        assertThat(code(alice.groups.api().createBroadcastList(" ", List.of(bob.user())))).isEqualTo(400);
        assertThat(code(alice.groups.api().createBroadcastList("self", List.of(alice.user())))).isEqualTo(400);
        assertThat(code(alice.groups.api().createBroadcastList("ghost", List.of(UUID.randomUUID())))).isEqualTo(404);
        List<UUID> tooMany = IntStream.range(0, 257).mapToObj(i -> UUID.randomUUID()).toList();
        assertThat(code(alice.groups.api().createBroadcastList("crowd", tooMany))).isEqualTo(409);
        assertThat(code(bob.groups.api().addBroadcastRecipients(listId, List.of(carol.user())))).isEqualTo(404);
        assertThat(code(bob.groups.api().addBroadcastRecipients(listId, List.of(bob.user()))))
                .as("someone else's list, even when adding oneself").isEqualTo(404);
        assertThat(code(alice.groups.api().addBroadcastRecipients(listId, List.of(alice.user()))))
                .as("the owner adding itself").isEqualTo(400);

        BroadcastList grown = Await.result(alice.groups.api().addBroadcastRecipients(listId, List.of(carol.user(), bob.user())));
        assertThat(grown.getRecipientsList()).containsExactly(Ids.bytes(bob.user()), Ids.bytes(carol.user()));
    }

    private static int code(io.vertx.core.Future<?> request) {
        return ((ParleyException) Await.failure(request)).code();
    }
}
