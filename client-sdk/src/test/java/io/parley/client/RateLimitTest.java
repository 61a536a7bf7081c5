package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.node.ParleyNode;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.RegisterRequest;
import io.parley.proto.Request;
import io.parley.proto.RequestCodeRequest;
import io.parley.proto.Response;
import io.parley.proto.WhoamiRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Flooding: a node of its own with tight token buckets, so that limits bite quickly and surely. */
class RateLimitTest {
    private static ParleyNode node;
    private static Vertx vertx;

    @BeforeAll
    static void startNode() {
        node = TestNode.start(Map.of("limits.userPerSecond", "5", "limits.userBurst", "20",
                "limits.ipPerSecond", "1", "limits.ipBurst", "12"));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        Await.result(vertx.close());
        node.close();
    }

    @Test
    void floodingOneUserGets429WhileAnotherUserIsServed() {
        ServerAddress address = new ServerAddress("127.0.0.3", node.httpPort(), false);
        DeviceCredentials flooder = register(address, "flooder");
        DeviceCredentials calm = register(new ServerAddress("127.0.0.4", node.httpPort(), false), "calm");
        RawSocket flood = RawSocket.open(vertx, node.httpPort(), "127.0.0.3");
        flood.authenticate(flooder);
        RawSocket other = RawSocket.open(vertx, node.httpPort(), "127.0.0.4");
        other.authenticate(calm);

        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            flood.send(Request.newBuilder().setId(100 + i).setWhoami(WhoamiRequest.getDefaultInstance()).build());
        }
        for (int i = 0; i < 60; i++) {
            Response response = flood.nextResponse();
            codes.add(response.hasError() ? response.getError().getCode() : 200);
        }

        assertThat(codes).contains(429).contains(200);
        assertThat(codes.stream().filter(c -> c == 200).count()).isLessThanOrEqualTo(30);
        assertThat(flood.isOpen()).isTrue();
        assertThat(other.request(Request.newBuilder().setId(1).setWhoami(WhoamiRequest.getDefaultInstance()).build())
                .hasWhoami()).isTrue();
        flood.close();
        other.close();
    }

    @Test
    void aPipelinedBurstWithinTheUsersBurstIsServedWhole() {
        DeviceCredentials bursty = register(null, "bursty");
        RawSocket socket = RawSocket.open(vertx, node.httpPort(), "127.0.0.7");
        socket.authenticate(bursty);

        // 15 requests written before any answer, under the bucket's 20: one lease serves them all.
        // (A lease per request that found no token left would have taken 10 tokens each and refused most.)
        for (int i = 0; i < 15; i++) {
            socket.send(Request.newBuilder().setId(200 + i).setWhoami(WhoamiRequest.getDefaultInstance()).build());
        }
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            Response response = socket.nextResponse();
            codes.add(response.hasError() ? response.getError().getCode() : 200);
        }

        assertThat(codes).containsOnly(200);
        socket.close();
    }

    @Test
    void floodingConnectsFromOneAddressGets429WhileAnotherAddressConnects() {
        List<Integer> statuses = new ArrayList<>();
        // Each client is closed here: left to the Vert.x close in stop(), one of them now and then
        // never finished closing (2 runs in 21 timed out after 20 s; none in 60 with these closes).
        List<WebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Throwable failure = null;
            try {
                WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress("127.0.0.5"));
                clients.add(client);
                Await.result(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.httpPort()).setURI("/v1/ws")));
            } catch (RuntimeException e) {
                failure = e;
            }
            statuses.add(failure == null ? 101 : failure.getMessage().contains("429") ? 429 : 0);
        }

        assertThat(statuses).contains(101, 429).doesNotContain(0);
        RawSocket last = RawSocket.open(vertx, node.httpPort(), "127.0.0.6");
        assertThat(last.isOpen()).isTrue();
        clients.forEach(client -> Await.result(client.close()));
        last.close();
    }

    private static DeviceCredentials register(ServerAddress address, String prefix) {
        AccountsApi api = new AccountsApi(vertx, new ServerAddress("127.0.0.1", node.httpPort(), false));
        String name = Users.uniqueName(prefix);
        Await.result(api.requestCode(RequestCodeRequest.newBuilder().setUsername(name).build()));
        DeviceCredentials registered = Await.result(api.register(RegisterRequest.newBuilder().setUsername(name)
                .setCode(TestNode.CODES.codeFor(name)).build()));
        Await.result(api.close());
        return registered;
    }
}
