package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.bus.Ids;
import io.parley.proto.Request;
import io.parley.proto.SubscribePresenceRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Web Push in the browser app, end to end: the app registers its service worker, asks permission
 * and registers a subscription with the node; a message to the browser while it is offline makes
 * the node send a real encrypted Web Push to this test's push service on loopback, which decrypts
 * it with the subscription's keys (content-free) and hands it to the real service worker through
 * the DevTools protocol, as the browser's push service connection would; the worker shows "New
 * message". Headless Chromium reaches no push service here, so the subscription is made by the
 * test and handed to the app through its documented test hook (parleyTestPushSubscription).
 */
class BrowserPushTest extends BrowserTests {
    private static LocalPushService pushService;

    @BeforeAll
    static void startPushService() {
        pushService = new LocalPushService();
    }

    @AfterAll
    static void stopPushService() {
        pushService.close();
    }

    @Test
    void aMessageToAnOfflineBrowserWakesItsServiceWorkerWithAContentFreeNotification() throws Exception {
        JavaPerson alice = new JavaPerson(vertx, WebPerson.uniqueName("alice"));
        LocalPushService.Subscription subscription = pushService.newSubscription();
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"), pushContext(subscription));
        turnOnNotifications(bob);
        assertThat(bob.page.evaluate("() => navigator.serviceWorker.getRegistration('/').then(r => r.active.scriptURL)", null)
                .asText()).isEqualTo(WebTestNode.url() + "sw.js");

        goOffline(alice, bob);
        String secret = "the key is under the mat " + UUID.randomUUID();
        alice.send(bob.user, secret);
        JavaPerson.eventually("the node's Web Push at the local push service", () -> pushService.to(subscription).size() == 1);

        LocalPushService.Received push = pushService.to(subscription).get(0);
        assertThat(push.headers()).containsEntry("content-encoding", "aes128gcm").containsEntry("topic", "parley-wake");
        assertThat(push.headers().get("authorization")).startsWith("vapid t=");
        String plaintext = new String(subscription.decrypt(push.body()), StandardCharsets.UTF_8);
        assertThat(new JsonObject(plaintext).getString("kind")).isEqualTo("wake");
        assertThat(plaintext).doesNotContain(secret).doesNotContain(alice.username);

        bob.page.deliverPush(plaintext);
        JsonNode shown = bob.page.waitUntil("() => navigator.serviceWorker.ready.then(r => r.getNotifications())"
                + ".then(n => n.length > 0 && n.map(x => ({ title: x.title, body: x.body, tag: x.tag })))", Map.of());
        assertThat(shown).hasSize(1);
        assertThat(shown.get(0).path("title").asText()).isEqualTo("New message");
        assertThat(shown.get(0).path("tag").asText()).isEqualTo("parley-wake");
        assertThat(shown.get(0).toString()).doesNotContain(secret).doesNotContain(alice.username);
        alice.close();
    }

    @Test
    void theNodeServesTheServiceWorkerAtTheRootAsAnUncachedScript() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build();
        java.net.http.HttpResponse<String> worker = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(WebTestNode.url() + "sw.js")).timeout(java.time.Duration.ofSeconds(20)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(worker.statusCode()).isEqualTo(200);
        assertThat(worker.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(worker.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(worker.body()).contains("showNotification('New message'");
    }

    @Test
    void aConnectedBrowserGetsTheMessageAndNoPush() throws Exception {
        JavaPerson alice = new JavaPerson(vertx, WebPerson.uniqueName("alice"));
        LocalPushService.Subscription subscription = pushService.newSubscription();
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"), pushContext(subscription));
        turnOnNotifications(bob);
        alice.send(bob.user, "while you are here");
        bob.page.waitFor("[data-test=chat]", alice.username);
        awaitBarrier(alice);
        assertThat(pushService.to(subscription)).isEmpty();
        alice.close();
    }

    @Test
    void turningNotificationsOffStopsTheWakes() throws Exception {
        JavaPerson alice = new JavaPerson(vertx, WebPerson.uniqueName("alice"));
        LocalPushService.Subscription subscription = pushService.newSubscription();
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"), pushContext(subscription));
        turnOnNotifications(bob);
        bob.page.click("[data-test=push-toggle]").waitFor("[data-test=push-status]", "Notifications are off.");
        goOffline(alice, bob);
        alice.send(bob.user, "nobody wakes you now");
        awaitBarrier(alice);
        assertThat(pushService.to(subscription)).isEmpty();
        alice.close();
    }

    /** Notification permission granted (headless has no prompt) and the test hook's subscription. */
    private static ObjectNode pushContext(LocalPushService.Subscription subscription) throws Exception {
        ObjectNode context = Browser.JSON.createObjectNode();
        context.putArray("permissions").add("notifications");
        context.put("initScript", "window.parleyTestPushSubscription = "
                + Browser.JSON.writeValueAsString(subscription.toJson()) + ";");
        return context;
    }

    private static void turnOnNotifications(WebPerson person) {
        person.page.click("[data-test=settings]").waitFor("[data-test=push-status]", "Notifications are off.")
                .click("[data-test=push-toggle]");
        String status = person.page.waitUntil("() => { const t = document.querySelector('[data-test=push-status]').textContent;"
                + " return t !== 'Notifications are off.' && t; }", Map.of()).asText();
        assertThat(status).isEqualTo("Notifications are on.");
    }

    /** Closes the browser's connection and waits until the node shows it offline to its contact. */
    private static void goOffline(JavaPerson contact, WebPerson person) {
        person.page.evaluate("() => window.parley.connection.stop()", null);
        JavaPerson.eventually(person.username + " offline", () -> !JavaPerson.await(contact.client.send(Request.newBuilder()
                .setSubscribePresence(SubscribePresenceRequest.newBuilder().setUserId(Ids.bytes(person.user)))))
                .getSubscribePresence().getOnline());
    }

    /** A later wake for someone else: arrives after anything the sends before it caused. */
    private static void awaitBarrier(JavaPerson sender) throws Exception {
        JavaPerson dave = new JavaPerson(vertx, WebPerson.uniqueName("dave"));
        LocalPushService.Subscription subscription = pushService.newSubscription();
        JavaPerson.await(dave.client.send(Request.newBuilder().setRegisterPush(io.parley.proto.RegisterPushRequest.newBuilder()
                .setWebPush(io.parley.proto.WebPushSubscription.newBuilder().setEndpoint(subscription.endpoint)
                        .setP256Dh(com.google.protobuf.ByteString.copyFrom(subscription.publicKey))
                        .setAuth(com.google.protobuf.ByteString.copyFrom(subscription.auth))))));
        dave.close();
        sender.send(dave.user(), "barrier");
        JavaPerson.eventually("the barrier's wake", () -> pushService.to(subscription).size() == 1);
    }
}
