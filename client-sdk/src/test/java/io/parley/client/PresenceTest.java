package io.parley.client;

import static io.parley.client.AccountsAndDevicesTest.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Addresses;
import io.parley.bus.DevicePusher;
import io.parley.proto.AddContactRequest;
import io.parley.proto.BlockRequest;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.DeviceEvent;
import io.parley.proto.PresenceUpdate;
import io.parley.proto.Privacy;
import io.parley.proto.Request;
import io.parley.proto.SetPrivacyRequest;
import io.parley.proto.SubscribePresenceRequest;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Online, offline and last seen through real connections, with privacy and blocks, and the sweep. */
class PresenceTest {
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    /** A connected device with a Presence and every update it was pushed. */
    private final class Watcher {
        final Device device;
        final Presence presence;
        final List<PresenceUpdate> updates = new CopyOnWriteArrayList<>();

        Watcher(DeviceCredentials credentials) {
            device = new Device(vertx, credentials);
            presence = new Presence(device.client).onUpdate(updates::add);
        }

        PresenceUpdate subscribe(UUID user) {
            return Await.result(presence.subscribe(user));
        }

        boolean saw(boolean online) {
            return updates.stream().anyMatch(u -> u.getOnline() == online);
        }

        PresenceUpdate last() {
            return updates.get(updates.size() - 1);
        }
    }

    @Test
    void aSubscriberSeesOnlineThenOfflineWithLastSeen() {
        Watcher alice = new Watcher(Users.register(vertx, Users.uniqueName("alice")));
        DeviceCredentials bobCredentials = Users.register(vertx, Users.uniqueName("bob"));
        UUID bobId = io.parley.bus.Ids.uuid(bobCredentials.getUserId(), "user_id");

        PresenceUpdate never = alice.subscribe(bobId);
        Device bob = new Device(vertx, bobCredentials);
        Await.until(() -> alice.saw(true), "alice to be told bob came online");
        long beforeLeaving = TestNode.CLOCK.millis();
        bob.close();
        Await.until(() -> alice.saw(false), "alice to be told bob went offline");

        assertThat(never.getOnline()).isFalse();
        assertThat(never.getLastSeenMs()).as("never seen").isZero();
        PresenceUpdate offline = alice.last();
        assertThat(offline.getUserId()).isEqualTo(bobCredentials.getUserId());
        assertThat(offline.getLastSeenMs()).isBetween(beforeLeaving, TestNode.CLOCK.millis());
        PresenceUpdate now = alice.subscribe(bobId);
        assertThat(now.getOnline()).isFalse();
        assertThat(now.getLastSeenMs()).isEqualTo(offline.getLastSeenMs());
    }

    @Test
    void aSecondDeviceKeepsTheUserOnlineUntilTheLastOneLeaves() {
        Watcher alice = new Watcher(Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Device bobTablet = new Device(vertx, Users.link(vertx, bob.client, "tablet"));
        Await.until(() -> alice.subscribe(bob.user()).getOnline(), "bob to be online");

        bob.close();
        assertThat(alice.subscribe(bob.user()).getOnline()).as("the tablet is still connected").isTrue();
        bobTablet.close();
        Await.until(() -> alice.saw(false), "bob to go offline with his last device");
        assertThat(alice.updates.stream().filter(u -> !u.getOnline())).hasSize(1);
    }

    @Test
    void aConnectionReplacedByTheSameDeviceLeavesTheUserOnline() {
        Watcher alice = new Watcher(Users.register(vertx, Users.uniqueName("alice")));
        DeviceCredentials bobCredentials = Users.register(vertx, Users.uniqueName("bob"));
        Device bob = new Device(vertx, bobCredentials);
        Await.until(() -> alice.subscribe(bob.user()).getOnline(), "bob to be online");

        Device bobAgain = new Device(vertx, bobCredentials);
        Await.until(() -> bob.client.finalCloseCode() != null, "the first connection to be replaced");
        // A later change of another user, pushed after the replaced connection's disconnect was handled.
        Device carol = new Device(vertx, Users.register(vertx, Users.uniqueName("carol")));
        alice.subscribe(carol.user());
        Await.until(() -> alice.subscribe(carol.user()).getOnline(), "carol to be online");
        carol.close();
        Await.until(() -> alice.updates.stream().anyMatch(u -> u.getUserId().equals(carol.credentials.getUserId())
                && !u.getOnline()), "carol's offline change");

        assertThat(alice.subscribe(bob.user()).getOnline()).as("the new connection keeps bob online").isTrue();
        assertThat(alice.updates.stream().filter(u -> u.getUserId().equals(bob.credentials.getUserId()) && !u.getOnline()))
                .isEmpty();
        assertThat(bobAgain.client.isConnected()).isTrue();
    }

    @Test
    void lastSeenIsHiddenFromEveryoneWhenNobody() {
        Watcher alice = new Watcher(Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        setLastSeen(bob, Privacy.Audience.NOBODY);
        Await.until(() -> alice.subscribe(bob.user()).getOnline(), "bob to be online");

        bob.close();
        Await.until(() -> alice.saw(false), "bob to go offline");

        assertThat(alice.last().getLastSeenMs()).isZero();
        assertThat(alice.subscribe(bob.user()).getLastSeenMs()).isZero();
    }

    @Test
    void lastSeenSetToContactsShowsOnlyToContacts() {
        Watcher stranger = new Watcher(Users.register(vertx, Users.uniqueName("stranger")));
        Watcher friend = new Watcher(Users.register(vertx, Users.uniqueName("friend")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Await.result(bob.client.send(Request.newBuilder().setAddContact(AddContactRequest.newBuilder()
                .setUserId(friend.device.credentials.getUserId()))));
        setLastSeen(bob, Privacy.Audience.CONTACTS);
        Await.until(() -> stranger.subscribe(bob.user()).getOnline() && friend.subscribe(bob.user()).getOnline(),
                "both to see bob online");

        bob.close();
        Await.until(() -> stranger.saw(false) && friend.saw(false), "both to see bob go offline");

        assertThat(stranger.last().getLastSeenMs()).isZero();
        assertThat(friend.last().getLastSeenMs()).isPositive();
    }

    @Test
    void aBlockedUserSeesNothing() {
        Watcher alice = new Watcher(Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Watcher carol = new Watcher(Users.register(vertx, Users.uniqueName("carol")));
        Await.until(() -> carol.subscribe(bob.user()).getOnline(), "carol to see bob online");
        Await.result(bob.client.send(Request.newBuilder().setBlock(BlockRequest.newBuilder()
                .setUserId(alice.device.credentials.getUserId()))));

        PresenceUpdate seen = alice.subscribe(bob.user());
        bob.close();
        Await.until(() -> carol.saw(false), "carol to see bob go offline");
        Device bobAgain = new Device(vertx, bob.credentials);
        Await.until(() -> carol.updates.stream().filter(u -> u.getOnline()).count() == 1, "carol to see bob back online");

        assertThat(seen.getOnline()).as("bob is online, but alice is blocked").isFalse();
        assertThat(seen.getLastSeenMs()).isZero();
        assertThat(alice.updates).as("not even a blank update: its timing would tell").isEmpty();
        assertThat(alice.subscribe(bobAgain.user()).getOnline()).isFalse();
    }

    @Test
    void aUserWhoBlockedSomeoneSeesNothingOfThem() {
        Watcher alice = new Watcher(Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Await.until(() -> alice.subscribe(bob.user()).getOnline(), "alice to see bob online");

        Await.result(alice.device.client.send(Request.newBuilder().setBlock(BlockRequest.newBuilder()
                .setUserId(bob.credentials.getUserId()))));

        Await.until(() -> !alice.subscribe(bob.user()).getOnline(), "the block to hide bob");
        assertThat(alice.subscribe(bob.user()).getLastSeenMs()).isZero();
    }

    @Test
    void aDeviceWhoseNodeDiedGoesOfflineAtTheSweep() {
        Watcher alice = new Watcher(Users.register(vertx, Users.uniqueName("alice")));
        DeviceCredentials bob = Users.register(vertx, Users.uniqueName("bob"));
        UUID bobId = io.parley.bus.Ids.uuid(bob.getUserId(), "user_id");
        alice.subscribe(bobId);

        // A node announced bob's device and died: no disconnect ever comes, and its route is gone.
        TestNode.get().vertx().eventBus().publish(Addresses.DEVICE_EVENTS, DeviceEvent.newBuilder()
                .setDevice(DevicePusher.ref(bobId, 1)).setKind(DeviceEvent.Kind.CONNECTED)
                .setAtMs(System.currentTimeMillis()).setNodeId("dead-node").setConnectionId("lost").build());

        Await.until(() -> alice.saw(true), "bob to be announced online");
        Await.until(() -> alice.saw(false), "the sweep to find no route and turn bob offline");
        assertThat(alice.last().getLastSeenMs()).isPositive();
    }

    @Test
    void subscribingToAnUnknownUserIs404AndToAMalformedIdIs400() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));

        int unknown = code(new Presence(alice.client).subscribe(UUID.randomUUID()));
        ParleyException malformed = (ParleyException) Await.failure(alice.client.send(Request.newBuilder()
                .setSubscribePresence(SubscribePresenceRequest.newBuilder().setUserId(ByteString.copyFromUtf8("short")))));

        assertThat(unknown).isEqualTo(404);
        assertThat(malformed.code()).isEqualTo(400);
        assertThat(malformed.error().getMessage()).contains("user_id");
    }

    private static void setLastSeen(Device device, Privacy.Audience audience) {
        Await.result(device.client.send(Request.newBuilder().setSetPrivacy(SetPrivacyRequest.newBuilder()
                .setPrivacy(Privacy.newBuilder().setLastSeen(audience)))));
    }
}
