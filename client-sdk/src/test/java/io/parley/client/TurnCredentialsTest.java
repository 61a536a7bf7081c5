package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.bus.RestCredentials;
import io.parley.node.ParleyNode;
import io.parley.proto.Account;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Request;
import io.parley.proto.TurnCredentials;
import io.parley.proto.TurnCredentialsRequest;
import io.parley.proto.WhoamiRequest;
import io.parley.turn.TurnClient;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The calls role hands out TURN credentials that the node's own TURN server accepts. */
class TurnCredentialsTest {
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        TestNode.get();
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void handsOutCredentialsForTheCallerThatTheTurnServerAccepts() throws Exception {
        ParleyNode node = TestNode.get();
        DeviceCredentials device = Users.register(vertx, Users.uniqueName("caller"));
        ParleyClient client = Users.connect(vertx, device);
        Account me = Await.result(client.send(Request.newBuilder().setWhoami(WhoamiRequest.getDefaultInstance()))).getWhoami();
        UUID userId = Ids.uuid(me.getUserId(), "user_id");

        TurnCredentials turn = Await.result(client.send(Request.newBuilder()
                .setTurnCredentials(TurnCredentialsRequest.getDefaultInstance()))).getTurnCredentials();

        assertThat(turn.getUsername()).endsWith(":" + userId);
        assertThat(turn.getPassword()).isEqualTo(new RestCredentials(node.turnSecret()).password(turn.getUsername()));
        assertThat(node.turnSecret()).as("the installation's secret, shared by its nodes").doesNotStartWith("unset:")
                .isNotEqualTo(node.config().turn().secret());
        assertThat(turn.getExpiresAtMs()).isGreaterThan(TestNode.CLOCK.instant().toEpochMilli());
        String base = "turn:127.0.0.1:" + node.turnPort();
        assertThat(turn.getUrlsList()).containsExactly(base + "?transport=udp", base + "?transport=tcp");
        try (TurnClient relay = new TurnClient(new InetSocketAddress("127.0.0.1", node.turnPort()), "parley")
                .as(turn.getUsername(), turn.getPassword())) {
            assertThat(relay.allocate().getPort()).isPositive();
        }
    }
}
