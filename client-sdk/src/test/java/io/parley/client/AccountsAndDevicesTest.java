package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.DevicePusher;
import io.parley.bus.DeviceRoutes;
import io.parley.proto.Account;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.DeviceList;
import io.parley.proto.InboxDrained;
import io.parley.proto.LinkDeviceRequest;
import io.parley.proto.ListDevicesRequest;
import io.parley.proto.Push;
import io.parley.proto.RegisterRequest;
import io.parley.proto.RemoveDeviceRequest;
import io.parley.proto.Request;
import io.parley.proto.RequestCodeRequest;
import io.parley.proto.WhoamiRequest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration, linking and device connections through real sockets against a node. */
class AccountsAndDevicesTest {
    private Vertx vertx;
    private AccountsApi api;

    @BeforeEach
    void setUp() {
        TestNode.get();
        vertx = Vertx.vertx();
        api = new AccountsApi(vertx, TestNode.address());
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void registersByUsernameAndConnectsOverWebSocket() {
        String name = Users.uniqueName("alice");
        DeviceCredentials credentials = Users.register(vertx, name);
        ParleyClient client = Users.connect(vertx, credentials);

        Account me = Await.result(client.send(Request.newBuilder().setWhoami(WhoamiRequest.getDefaultInstance()))).getWhoami();

        assertThat(me.getUsername()).isEqualTo(name);
        assertThat(me.getDeviceId()).isEqualTo(1);
        assertThat(me.getUserId()).isEqualTo(credentials.getUserId());
        assertThat(credentials.getPassword()).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void registersByPhoneNumber() {
        String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
        Await.result(api.requestCode(RequestCodeRequest.newBuilder().setPhone(phone).build()));
        DeviceCredentials credentials = Await.result(api.register(RegisterRequest.newBuilder().setPhone(phone)
                .setCode(TestNode.CODES.codeFor(phone)).build()));

        Account me = Await.result(Users.connect(vertx, credentials).send(Request.newBuilder()
                .setWhoami(WhoamiRequest.getDefaultInstance()))).getWhoami();

        assertThat(me.getPhone()).isEqualTo(phone);
    }

    @Test
    void refusesAWrongCodeWith401AndLocksAfterFiveWrongCodes() {
        String name = Users.uniqueName("guess");
        Await.result(api.requestCode(RequestCodeRequest.newBuilder().setUsername(name).build()));
        String right = TestNode.CODES.codeFor(name);
        String wrong = right.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            assertThat(code(api.register(RegisterRequest.newBuilder().setUsername(name).setCode(wrong).build())))
                    .isEqualTo(401);
        }
        assertThat(code(api.register(RegisterRequest.newBuilder().setUsername(name).setCode(right).build())))
                .as("the right code after five wrong ones").isEqualTo(429);
    }

    @Test
    void refusesATakenUsernameWith409AndAnExpiredCodeWith410() {
        String name = Users.uniqueName("taken");
        Users.register(vertx, name);
        Await.result(api.requestCode(RequestCodeRequest.newBuilder().setUsername(name).build()));
        assertThat(code(api.register(RegisterRequest.newBuilder().setUsername(name)
                .setCode(TestNode.CODES.codeFor(name)).build()))).isEqualTo(409);

        String late = Users.uniqueName("late");
        Await.result(api.requestCode(RequestCodeRequest.newBuilder().setUsername(late).build()));
        TestNode.CLOCK.advance(Duration.ofMinutes(11));
        assertThat(code(api.register(RegisterRequest.newBuilder().setUsername(late)
                .setCode(TestNode.CODES.codeFor(late)).build()))).isEqualTo(410);
    }

    @Test
    void refusesMalformedRegistrations() {
        assertThat(code(api.requestCode(RequestCodeRequest.newBuilder().setUsername("x").build()))).isEqualTo(400);
        assertThat(code(api.requestCode(RequestCodeRequest.newBuilder().setPhone("12345").build()))).isEqualTo(400);
        assertThat(code(api.requestCode(RequestCodeRequest.getDefaultInstance()))).isEqualTo(400);
        assertThat(code(api.register(RegisterRequest.newBuilder().setUsername(Users.uniqueName("nocode")).build())))
                .isEqualTo(400);
    }

    @Test
    void linksFourDevicesAndRefusesTheFifthWith409() {
        ParleyClient primary = Users.connect(vertx, Users.register(vertx, Users.uniqueName("linker")));
        List<Integer> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DeviceCredentials linked = Users.link(vertx, primary, "laptop " + i);
            ids.add(linked.getDeviceId());
            assertThat(linked.getUserId()).isEqualTo(primary.credentials().getUserId());
            Users.connect(vertx, linked);
        }
        String fifth = Await.result(primary.send(Request.newBuilder().setCreateLinkCode(
                io.parley.proto.CreateLinkCodeRequest.getDefaultInstance()))).getCreateLinkCode().getCode();

        assertThat(code(api.link(LinkDeviceRequest.newBuilder().setCode(fifth).build()))).isEqualTo(409);
        assertThat(ids).containsExactly(2, 3, 4, 5);
        DeviceList devices = Await.result(primary.send(Request.newBuilder()
                .setListDevices(ListDevicesRequest.getDefaultInstance()))).getListDevices();
        assertThat(devices.getDevicesList()).extracting(d -> d.getDeviceId()).containsExactly(1, 2, 3, 4, 5);
        assertThat(devices.getDevices(0).getPrimary()).isTrue();
    }

    @Test
    void refusesAReusedLinkCodeWith410AnExpiredOneWith410AndAnUnknownOneWith404() {
        ParleyClient primary = Users.connect(vertx, Users.register(vertx, Users.uniqueName("reuse")));
        String code = Await.result(primary.send(Request.newBuilder().setCreateLinkCode(
                io.parley.proto.CreateLinkCodeRequest.getDefaultInstance()))).getCreateLinkCode().getCode();
        Await.result(api.link(LinkDeviceRequest.newBuilder().setCode(code).build()));

        assertThat(code(api.link(LinkDeviceRequest.newBuilder().setCode(code).build()))).isEqualTo(410);
        String expiring = Await.result(primary.send(Request.newBuilder().setCreateLinkCode(
                io.parley.proto.CreateLinkCodeRequest.getDefaultInstance()))).getCreateLinkCode().getCode();
        TestNode.CLOCK.advance(Duration.ofMinutes(11));
        assertThat(code(api.link(LinkDeviceRequest.newBuilder().setCode(expiring).build()))).isEqualTo(410);
        assertThat(code(api.link(LinkDeviceRequest.newBuilder().setCode("no-such-code").build()))).isEqualTo(404);
    }

    @Test
    void onlyThePrimaryCreatesLinkCodes() {
        ParleyClient primary = Users.connect(vertx, Users.register(vertx, Users.uniqueName("onlyprimary")));
        ParleyClient linked = Users.connect(vertx, Users.link(vertx, primary, "tablet"));

        assertThat(code(linked.send(Request.newBuilder().setCreateLinkCode(
                io.parley.proto.CreateLinkCodeRequest.getDefaultInstance())))).isEqualTo(403);
    }

    @Test
    void removingADeviceClosesItsSocketAtOnceAndTellsTheOtherDevices() {
        ParleyClient primary = Users.connect(vertx, Users.register(vertx, Users.uniqueName("remover")));
        List<Push> primaryPushes = new CopyOnWriteArrayList<>();
        primary.onPush(primaryPushes::add);
        DeviceCredentials laptopCredentials = Users.link(vertx, primary, "laptop");
        ParleyClient laptop = Users.connect(vertx, laptopCredentials);
        List<String> laptopEvents = new CopyOnWriteArrayList<>();
        laptop.onConnectionChange(laptopEvents::add);

        Await.result(primary.send(Request.newBuilder().setRemoveDevice(RemoveDeviceRequest.newBuilder()
                .setDeviceId(laptopCredentials.getDeviceId()))));

        Await.until(() -> laptopEvents.stream().anyMatch(e -> e.startsWith("closed: 4410")), "the laptop's socket to close");
        Await.until(() -> primaryPushes.stream().anyMatch(p -> p.hasDevicesChanged()
                && p.getDevicesChanged().getDevicesCount() == 1), "the primary to hear of the change");
        assertThat(code(ParleyClient.connect(vertx, TestNode.address(), laptopCredentials)))
                .as("the removed device's credential").isEqualTo(401);
    }

    @Test
    void aSecondConnectionOfTheSameDeviceReplacesTheFirst() {
        DeviceCredentials credentials = Users.register(vertx, Users.uniqueName("twice"));
        ParleyClient first = Users.connect(vertx, credentials);
        List<String> firstEvents = new CopyOnWriteArrayList<>();
        first.onConnectionChange(firstEvents::add);

        ParleyClient second = Users.connect(vertx, credentials);

        Await.until(() -> firstEvents.stream().anyMatch(e -> e.startsWith("closed: 4409")), "the first to be replaced");
        assertThat(Await.result(second.send(Request.newBuilder().setWhoami(WhoamiRequest.getDefaultInstance())))
                .getWhoami().getDeviceId()).isEqualTo(1);
    }

    @Test
    void receivesAPushSentToItsBusAddressFromAnotherVerticle() {
        DeviceCredentials credentials = Users.register(vertx, Users.uniqueName("pushed"));
        ParleyClient client = Users.connect(vertx, credentials);
        List<Push> pushes = new CopyOnWriteArrayList<>();
        client.onPush(pushes::add);
        Vertx nodeVertx = TestNode.get().vertx();
        Push push = Push.newBuilder().setInboxDrained(InboxDrained.newBuilder().setReplayed(42)).build();

        String deployment = Await.result(nodeVertx.deployVerticle(new io.vertx.core.VerticleBase() {
            @Override
            public io.vertx.core.Future<?> start() {
                DevicePusher pusher = new DevicePusher(vertx, new DeviceRoutes(Redis.createClient(vertx, TestNode.get().redis())));
                return pusher.push(io.parley.bus.Ids.uuid(credentials.getUserId(), "user_id"), 1, push)
                        .map(routed -> {
                            assertThat(routed).isEqualTo(1);
                            return routed;
                        });
            }
        }));

        Await.until(() -> pushes.contains(push), "the push to arrive");
        Await.result(nodeVertx.undeploy(deployment));
    }

    @Test
    void reconnectsAfterTheConnectionDrops() {
        ParleyClient client = Users.connect(vertx, Users.register(vertx, Users.uniqueName("dropper")));
        List<String> events = new CopyOnWriteArrayList<>();
        client.onConnectionChange(events::add);

        client.dropConnection();

        Await.until(() -> events.contains("connected"), "the client to reconnect");
        assertThat(events.get(0)).isEqualTo("disconnected");
        assertThat(Await.result(client.send(Request.newBuilder().setWhoami(WhoamiRequest.getDefaultInstance())))
                .getWhoami().getDeviceId()).isEqualTo(1);
    }

    static int code(io.vertx.core.Future<?> future) {
        Throwable failure = Await.failure(future);
        assertThat(failure).isInstanceOf(ParleyException.class);
        return ((ParleyException) failure).code();
    }
}
