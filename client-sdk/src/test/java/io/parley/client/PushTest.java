package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.node.ParleyNode;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.PushConfigRequest;
import io.parley.proto.RegisterPushRequest;
import io.parley.proto.Request;
import io.parley.proto.UnregisterPushRequest;
import io.parley.proto.WebPushSubscription;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Waking offline devices: a node whose push services are stand-ins on loopback (PushServiceStub)
 * wakes a device that has a subscription and no connection, once until it connects, never a
 * connected one; the Web Push message is decrypted with the browser's keys and carries no content.
 */
class PushTest {
    private static PushServiceStub services;
    private static ParleyNode node;
    private static ServerAddress server;
    private Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        services = new PushServiceStub();
        Path folder = Files.createTempDirectory("parley-push");
        Path account = Files.writeString(folder.resolve("fcm.json"), services.serviceAccountJson());
        Path p8 = Files.writeString(folder.resolve("apns.p8"), services.apnsKeyPem());
        Map<String, String> config = new HashMap<>(Map.of("push.allowPrivateEndpoints", "true",
                "push.fcmProjectId", "parley-test", "push.fcmCredentialsFile", account.toString(),
                "push.fcmUrl", services.base(), "push.apnsTeamId", PushServiceStub.APNS_TEAM,
                "push.apnsKeyId", PushServiceStub.APNS_KEY_ID, "push.apnsKeyFile", p8.toString(),
                "push.apnsTopic", PushServiceStub.APNS_TOPIC, "push.apnsUrl", services.base()));
        node = TestNode.start(config);
        server = new ServerAddress("127.0.0.1", node.httpPort(), false);
    }

    @AfterAll
    static void stop() {
        node.close();
        services.close();
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void wakesAnOfflineBrowserWithAnEncryptedContentFreeWebPush() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        WebPushBrowser browser = new WebPushBrowser();
        String endpoint = services.base() + "/webpush/" + UUID.randomUUID();
        register(bob, RegisterPushRequest.newBuilder().setWebPush(browser.subscription(endpoint)));
        byte[] vapidKey = Await.result(bob.client.send(Request.newBuilder().setPushConfig(PushConfigRequest.getDefaultInstance())))
                .getPushConfig().getVapidPublicKey().toByteArray();
        bob.close();

        String secret = "meet me at the usual place " + UUID.randomUUID();
        Await.result(alice.messenger.send(bob.user(), secret.getBytes(StandardCharsets.UTF_8)));
        Await.until(() -> services.to(URI.create(endpoint).getPath()).size() == 1, "the Web Push request");

        PushServiceStub.Received push = services.to(URI.create(endpoint).getPath()).get(0);
        assertThat(push.headers()).containsEntry("content-encoding", "aes128gcm").containsEntry("urgency", "high")
                .containsEntry("topic", "parley-wake").containsKey("ttl");
        byte[] plaintext = browser.decrypt(push.body());
        assertThat(new JsonObject(new String(plaintext, StandardCharsets.UTF_8)).getString("kind")).isEqualTo("wake");
        assertThat(new String(plaintext, StandardCharsets.UTF_8)).doesNotContain("meet me");

        String authorization = push.headers().get("authorization");
        assertThat(authorization).startsWith("vapid t=").contains(", k=" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(vapidKey));
        String jwt = authorization.substring("vapid t=".length(), authorization.indexOf(','));
        java.security.interfaces.ECPublicKey vapid = WebPushBrowser.publicKeyOf(vapidKey,
                (java.security.interfaces.ECPublicKey) browser.keys.getPublic());
        assertThat(PushServiceStub.checkJwt(jwt, vapid, "SHA256withECDSAinP1363Format",
                claims -> claims.getString("aud").equals(services.base())
                        && claims.getLong("exp") > System.currentTimeMillis() / 1000
                        && claims.getString("sub").startsWith("mailto:"))).as("the VAPID JWT").isNull();
    }

    @Test
    void collapsesWakesIntoOneUntilTheDeviceConnectsAgain() throws Exception {
        Device alice = device("alice");
        DeviceCredentials bobCredentials = Users.register(vertx, server, Users.uniqueName("bob"));
        Device bob = new Device(vertx, server, bobCredentials);
        String bobEndpoint = subscribeWebPush(bob);
        bob.close();
        for (int i = 0; i < 3; i++) {
            Await.result(alice.messenger.send(bob.user(), ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        Await.until(() -> services.to(bobEndpoint).size() == 1, "bob's first wake");
        // A barrier: a later wake for someone else arrives after anything the three sends caused.
        awaitBarrier(alice);
        assertThat(services.to(bobEndpoint)).as("one wake for three messages").hasSize(1);

        Device bobAgain = new Device(vertx, server, bobCredentials);
        Await.until(() -> bobAgain.texts().size() == 3, "bob to get the three messages");
        bobAgain.close();
        Await.result(alice.messenger.send(bob.user(), "after".getBytes(StandardCharsets.UTF_8)));
        Await.until(() -> services.to(bobEndpoint).size() == 2, "a new wake once bob had connected");
    }

    @Test
    void neverWakesAConnectedDevice() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        String bobEndpoint = subscribeWebPush(bob);
        Await.result(alice.messenger.send(bob.user(), "live".getBytes(StandardCharsets.UTF_8)));
        Await.until(() -> bob.texts().contains("live"), "bob to get it live");
        awaitBarrier(alice);
        assertThat(services.to(bobEndpoint)).isEmpty();
    }

    @Test
    void wakesNativeAppsThroughFcmAndApnsWithTheirCredentials() throws Exception {
        Device alice = device("alice");
        Device android = device("android");
        Device iphone = device("iphone");
        String fcmToken = "fcm-" + UUID.randomUUID();
        String apnsToken = "a1b2c3" + UUID.randomUUID().toString().replace("-", "");
        register(android, RegisterPushRequest.newBuilder().setFcmToken(fcmToken));
        register(iphone, RegisterPushRequest.newBuilder().setApnsToken(apnsToken));
        android.close();
        iphone.close();
        Await.result(alice.messenger.send(android.user(), "hi".getBytes(StandardCharsets.UTF_8)));
        Await.result(alice.messenger.send(iphone.user(), "hi".getBytes(StandardCharsets.UTF_8)));

        Await.until(() -> services.received.stream().anyMatch(r -> r.path().contains("messages:send")
                && new String(r.body(), StandardCharsets.UTF_8).contains(fcmToken)), "the FCM send");
        Await.until(() -> !services.to("/3/device/" + apnsToken).isEmpty(), "the APNs push");
        assertThat(services.refusals).isEmpty();
        JsonObject fcm = new JsonObject(new String(services.received.stream().filter(r -> r.path().contains("messages:send")
                && new String(r.body(), StandardCharsets.UTF_8).contains(fcmToken)).findFirst().orElseThrow().body(),
                StandardCharsets.UTF_8)).getJsonObject("message");
        assertThat(fcm.getJsonObject("data").getString("kind")).isEqualTo("wake");
        assertThat(fcm.getJsonObject("android").getString("collapse_key")).isEqualTo("parley-wake");
        assertThat(fcm.encode()).doesNotContain("\"hi\"");
        PushServiceStub.Received apns = services.to("/3/device/" + apnsToken).get(0);
        assertThat(apns.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(apns.headers()).containsEntry("apns-push-type", "background").containsEntry("apns-collapse-id", "parley-wake");
        assertThat(new JsonObject(new String(apns.body(), StandardCharsets.UTF_8)).getJsonObject("aps")
                .getInteger("content-available")).isEqualTo(1);
    }

    @Test
    void forgetsASubscriptionThePushServiceSaysIsGone() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        String endpoint = services.base() + "/webpush-gone/" + UUID.randomUUID();
        register(bob, RegisterPushRequest.newBuilder().setWebPush(new WebPushBrowser().subscription(endpoint)));
        bob.close();
        assertThat(subscriptions(bob)).isEqualTo(1);
        Await.result(alice.messenger.send(bob.user(), "hi".getBytes(StandardCharsets.UTF_8)));
        Await.until(() -> subscriptions(bob) == 0, "the gone subscription to be deleted");
        assertThat(services.to(URI.create(endpoint).getPath())).hasSize(1);
    }

    @Test
    void unregisteringStopsWakes() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        String endpoint = subscribeWebPush(bob);
        Await.result(bob.client.send(Request.newBuilder().setUnregisterPush(UnregisterPushRequest.getDefaultInstance())));
        bob.close();
        Await.result(alice.messenger.send(bob.user(), "hi".getBytes(StandardCharsets.UTF_8)));
        awaitBarrier(alice);
        assertThat(services.to(endpoint)).isEmpty();
    }

    @Test
    void refusesMalformedSubscriptions() throws Exception {
        Device bob = device("bob");
        WebPushSubscription good = new WebPushBrowser().subscription(services.base() + "/webpush/x");
        assertRefused(bob, RegisterPushRequest.newBuilder(), "web_push, fcm_token or apns_token");
        assertRefused(bob, RegisterPushRequest.newBuilder().setWebPush(good.toBuilder()
                .setP256Dh(ByteString.copyFrom(new byte[65]))), "p256dh");
        assertRefused(bob, RegisterPushRequest.newBuilder().setWebPush(good.toBuilder()
                .setAuth(ByteString.copyFrom(new byte[3]))), "auth must be 16 bytes");
        assertRefused(bob, RegisterPushRequest.newBuilder().setWebPush(good.toBuilder().setEndpoint("ftp://x/y")),
                "https");
        assertRefused(bob, RegisterPushRequest.newBuilder().setWebPush(good.toBuilder().setEndpoint("x".repeat(2000))),
                "endpoint");
        assertRefused(bob, RegisterPushRequest.newBuilder().setFcmToken("has spaces in it"), "fcm_token");
        assertThat(subscriptions(bob)).isZero();
    }

    @Test
    void aDefaultNodeRefusesEndpointsInThePrivateNetwork() throws Exception {
        Device carol = new Device(vertx, Users.register(vertx, Users.uniqueName("carol")));
        WebPushBrowser browser = new WebPushBrowser();
        for (String endpoint : List.of("http://push.example.com/x", "https://127.0.0.1/x", "https://10.1.2.3/x",
                "https://[::1]/x", "https://localhost/x", "https://169.254.169.254/latest")) {
            Throwable refused = Await.failure(carol.client.send(Request.newBuilder().setRegisterPush(
                    RegisterPushRequest.newBuilder().setWebPush(browser.subscription(endpoint)))));
            assertThat(((ParleyException) refused).code()).as(endpoint).isEqualTo(400);
        }
        Await.result(carol.client.send(Request.newBuilder().setRegisterPush(RegisterPushRequest.newBuilder()
                .setWebPush(browser.subscription("https://push.example.com/send/abc")))));
    }

    private void assertRefused(Device device, RegisterPushRequest.Builder request, String message) {
        Throwable refused = Await.failure(device.client.send(Request.newBuilder().setRegisterPush(request)));
        assertThat(refused).isInstanceOf(ParleyException.class).hasMessageContaining(message);
        assertThat(((ParleyException) refused).code()).isEqualTo(400);
    }

    /** Makes a third device offline with a subscription, messages it, and waits for its wake. */
    private void awaitBarrier(Device sender) throws Exception {
        Device dave = device("dave");
        String endpoint = subscribeWebPush(dave);
        dave.close();
        Await.result(sender.messenger.send(dave.user(), "barrier".getBytes(StandardCharsets.UTF_8)));
        Await.until(() -> services.to(endpoint).size() == 1, "the barrier's wake");
    }

    private String subscribeWebPush(Device device) throws Exception {
        String path = "/webpush/" + UUID.randomUUID();
        register(device, RegisterPushRequest.newBuilder().setWebPush(new WebPushBrowser().subscription(services.base() + path)));
        return path;
    }

    private static void register(Device device, RegisterPushRequest.Builder request) {
        Await.result(device.client.send(Request.newBuilder().setRegisterPush(request)));
    }

    private Device device(String name) {
        return new Device(vertx, server, Users.register(vertx, server, Users.uniqueName(name)));
    }

    private long subscriptions(Device device) {
        Pool db = PgBuilder.pool().connectingTo(node.postgres()).using(vertx).build();
        try {
            return Await.result(db.preparedQuery("SELECT count(*) FROM push_subscriptions WHERE user_id = $1")
                    .execute(Tuple.of(device.user()))).iterator().next().getLong(0);
        } finally {
            db.close();
        }
    }
}
