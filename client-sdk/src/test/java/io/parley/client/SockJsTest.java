package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.DevicePusher;
import io.parley.bus.DeviceRoutes;
import io.parley.bus.Ids;
import io.parley.proto.Authenticate;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.InboxDrained;
import io.parley.proto.Push;
import io.parley.proto.Request;
import io.parley.proto.Response;
import io.parley.proto.WhoamiRequest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Browsers' way in: SockJS with protobuf JSON frames, over its websocket and its xhr-streaming transport. */
class SockJsTest {
    private Vertx vertx;
    private final java.util.List<SockJsClient> opened = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        TestNode.get();
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        // Each session closed first: a Vert.x closed under open SockJS sessions took over 20 s at times.
        opened.forEach(SockJsClient::close);
        Await.result(vertx.close());
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "xhr_streaming"})
    void authenticatesRequestsAndReceivesPushes(String transport) {
        DeviceCredentials credentials = Users.register(vertx, Users.uniqueName("browser"));
        SockJsClient client = open(transport);

        Response auth = client.request(Request.newBuilder().setId(1).setAuthenticate(Authenticate.newBuilder()
                .setUserId(credentials.getUserId()).setDeviceId(1).setPassword(credentials.getPassword())).build());
        Response whoami = client.request(Request.newBuilder().setId(2).setWhoami(WhoamiRequest.getDefaultInstance()).build());
        Push push = Push.newBuilder().setInboxDrained(InboxDrained.newBuilder().setReplayed(7)).build();
        Vertx node = TestNode.get().vertx();
        new DevicePusher(node, new DeviceRoutes(Redis.createClient(node, TestNode.get().redis())))
                .push(Ids.uuid(credentials.getUserId(), "user_id"), 1, push);

        assertThat(auth.hasAuthenticate()).isTrue();
        assertThat(whoami.getId()).isEqualTo(2);
        assertThat(whoami.getWhoami().getUserId()).isEqualTo(credentials.getUserId());
        // The edge's own inbox_drained (replayed 0) may come after the whoami answer: wait for ours.
        assertThat(client.next(f -> f.hasPush() && f.getPush().getInboxDrained().getReplayed() == 7).getPush())
                .isEqualTo(push);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "xhr_streaming"})
    void answersJsonThatIsNotAFrameWith400AndKeepsTheSession(String transport) {
        SockJsClient client = open(transport);

        client.sendRaw("{\"request\": {\"id\": \"twelve\"");
        Response error = client.nextResponse();

        assertThat(error.getError().getCode()).isEqualTo(400);
        assertThat(client.request(Request.newBuilder().setId(3).setWhoami(WhoamiRequest.getDefaultInstance()).build())
                .getError().getCode()).as("still there, not yet authenticated").isEqualTo(401);
    }

    private SockJsClient open(String transport) {
        BiFunction<Vertx, Integer, SockJsClient> opener = transport.equals("websocket")
                ? SockJsClient::websocket : SockJsClient::xhrStreaming;
        SockJsClient client = opener.apply(vertx, TestNode.get().httpPort());
        opened.add(client);
        return client;
    }
}
