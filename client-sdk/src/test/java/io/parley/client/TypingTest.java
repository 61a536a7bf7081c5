package io.parley.client;

import static io.parley.client.AccountsAndDevicesTest.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.proto.BlockRequest;
import io.parley.proto.Push;
import io.parley.proto.Request;
import io.parley.proto.TypingRequest;
import io.parley.proto.TypingUpdate;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Typing indicators: live to the recipient's online devices, never stored, dropped across blocks. */
class TypingTest {
    private Vertx vertx;
    private Pool db;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        db = PgBuilder.pool().connectingTo(TestNode.get().postgres()).using(vertx).build();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void typingReachesEveryOnlineDeviceLiveAndIsNeverStored() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Device bobTablet = new Device(vertx, Users.link(vertx, bob.client, "tablet"));
        Presence presence = new Presence(alice.client);
        awaitOnline(presence, bob);

        Await.result(presence.typing(bob.user(), true));
        Await.result(presence.typing(bob.user(), false));

        Await.until(() -> typing(bob).size() == 2 && typing(bobTablet).size() == 2, "both of bob's devices to see it");
        TypingUpdate started = typing(bob).get(0);
        assertThat(started.getFromUser()).isEqualTo(alice.credentials.getUserId());
        assertThat(started.getFromDevice()).isEqualTo(1);
        assertThat(started.getTyping()).isTrue();
        assertThat(typing(bob).get(1).getTyping()).isFalse();
        assertThat(inboxRows(bob.user())).as("typing is never stored").isZero();
        assertThat(typing(alice)).as("not echoed to the typist").isEmpty();
    }

    @Test
    void typingToAnOfflineUserIsLostNotQueued() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        var bobCredentials = Users.register(vertx, Users.uniqueName("bob"));
        UUID bobId = io.parley.bus.Ids.uuid(bobCredentials.getUserId(), "user_id");

        Await.result(new Presence(alice.client).typing(bobId, true));
        Device bob = new Device(vertx, bobCredentials);
        Await.until(bob::drained, "bob's replay to end");

        assertThat(typing(bob)).isEmpty();
        assertThat(inboxRows(bobId)).isZero();
    }

    @Test
    void typingToSomeoneWhoBlockedYouIsDropped() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device carol = new Device(vertx, Users.register(vertx, Users.uniqueName("carol")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Await.result(bob.client.send(Request.newBuilder().setBlock(BlockRequest.newBuilder()
                .setUserId(alice.credentials.getUserId()))));
        Presence carolPresence = new Presence(carol.client);
        awaitOnline(carolPresence, bob);

        Await.result(new Presence(alice.client).typing(bob.user(), true));
        Await.result(carolPresence.typing(bob.user(), true));

        Await.until(() -> !typing(bob).isEmpty(), "carol's indicator, sent after alice's");
        assertThat(typing(bob)).extracting(TypingUpdate::getFromUser).containsExactly(carol.credentials.getUserId());
    }

    @Test
    void typingToAnUnknownUserIs404ToYourselfOrAMalformedIdIs400() {
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Presence presence = new Presence(alice.client);

        int unknown = code(presence.typing(UUID.randomUUID(), true));
        int self = code(presence.typing(alice.user(), true));
        int malformed = code(alice.client.send(Request.newBuilder().setTyping(TypingRequest.newBuilder()
                .setToUser(ByteString.copyFromUtf8("x")).setTyping(true))));

        assertThat(unknown).isEqualTo(404);
        assertThat(self).isEqualTo(400);
        assertThat(malformed).isEqualTo(400);
    }

    private static void awaitOnline(Presence presence, Device device) {
        Await.until(() -> Await.result(presence.subscribe(device.user())).getOnline(), "the user to be online");
    }

    private static List<TypingUpdate> typing(Device device) {
        return device.pushes.stream().filter(Push::hasTyping).map(Push::getTyping).toList();
    }

    private long inboxRows(UUID user) {
        return Await.result(db.preparedQuery("SELECT count(*) FROM inbox WHERE user_id = $1").execute(Tuple.of(user)))
                .iterator().next().getLong(0);
    }
}
