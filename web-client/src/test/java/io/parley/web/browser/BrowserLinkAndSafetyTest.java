package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.client.ParleyClient;
import io.parley.client.signal.SafetyNumbers;
import io.parley.client.signal.SecureMessenger;
import io.parley.proto.DeviceIdentity;
import io.parley.proto.GetIdentityKeysRequest;
import io.parley.proto.Request;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.signal.libsignal.protocol.IdentityKey;

/**
 * Linking a browser by the code shown with the primary's QR code, and the safety number screen:
 * both people's browsers show the same 60 digits, which are the Java SDK's for the same keys,
 * and "verified" stays set for that number.
 */
class BrowserLinkAndSafetyTest extends BrowserTests {
    @Test
    void aSecondBrowserLinksWithTheCodeUnderTheQrCodeAndThenReceivesMessages() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        alice.page.click("[data-test=settings]").click("[data-test=create-link-code]");
        alice.page.waitFor("img[data-test=link-qr]");
        alice.page.waitUntil("() => document.querySelector('[data-test=link-code]').textContent.length > 10", null);
        // A real image was drawn (a PNG of a QR code's size), not an empty element.
        assertThat(alice.page.evaluate("() => { const i = document.querySelector('[data-test=link-qr]');"
                + " return i.complete && i.naturalWidth >= 100 && i.naturalWidth === i.naturalHeight && i.src.startsWith('data:image/png'); }",
                null).asBoolean()).isTrue();
        String code = alice.page.evaluate("() => document.querySelector('[data-test=link-code]').textContent", null).asText();
        alice.page.evaluate("() => document.querySelector('[data-test=link-qr]').scrollIntoView()", null);
        alice.page.screenshot(Browser.webClientDir().resolveSibling("docs").resolve("screenshots").resolve("link-qr.png"));

        Browser.Page laptop = browser.open(alice.username + "-laptop", WebTestNode.url());
        laptop.fill("input[name=link-code]", code).fill("input[name=link-username]", alice.username).click("[data-test=link]");
        laptop.waitFor("[data-test=connection]", "online");
        laptop.waitUntil("() => window.parley && window.parley.keysReady", null);
        assertThat(laptop.evaluate("() => window.parley.account.credentials.deviceId", null).asInt()).isEqualTo(2);

        JavaPerson bob = new JavaPerson(vertx, WebPerson.uniqueName("bob"));
        bob.send(alice.user, "reaches the linked laptop");
        laptop.waitFor("[data-test=chat]", "reaches the linked laptop");
        alice.page.waitFor("[data-test=chat]", "reaches the linked laptop");
        bob.close();
    }

    @Test
    void aUsedLinkCodeIsRefusedWithASentence() {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        String code = alice.createLinkCode();
        Browser.Page first = browser.open(alice.username + "-first", WebTestNode.url());
        first.fill("input[name=link-code]", code).click("[data-test=link]");
        first.waitFor("[data-test=connection]", "online");
        Browser.Page second = browser.open(alice.username + "-second", WebTestNode.url());
        second.fill("input[name=link-code]", code).click("[data-test=link]");
        second.waitFor("[data-test=welcome-error]", "410");
    }

    @Test
    void twoBrowsersShowEachOtherTheSameSafetyNumberAsTheJavaSdkAndKeepItVerified() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        alice.startChat(bob.username);
        alice.send("shall we compare numbers?");
        bob.page.waitFor("[data-test=chat]", "shall we compare numbers?");
        bob.openChat(alice.username);

        String aliceSees = safetyNumber(alice);
        String bobSees = safetyNumber(bob);
        assertThat(aliceSees).matches("(\\d{5} ){11}\\d{5}").isEqualTo(bobSees);
        JavaPerson reader = new JavaPerson(vertx, WebPerson.uniqueName("reader"));
        assertThat(aliceSees).isEqualTo(SafetyNumbers.displayed(alice.user, primaryKey(reader, alice.user), bob.user,
                primaryKey(reader, bob.user)));
        reader.close();

        alice.page.click("[data-test=safety]").waitFor("[data-test=verified]", "Not verified");
        alice.page.click("[data-test=verify]").waitFor("[data-test=verified]", "Verified");
        alice.page.click("[data-test=safety-close]");
        alice.page.reload();
        alice.waitUntilOnline();
        alice.openChat(bob.username);
        alice.page.click("[data-test=safety]").waitFor("[data-test=verified]", "✓ Verified");
    }

    @Test
    void aContactWhoReinstalledShowsANoticeInTheChatAndIsNoLongerVerified() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        JavaPerson bob = new JavaPerson(vertx, WebPerson.uniqueName("bob"));
        alice.startChat(bob.username);
        alice.send("before your new phone");
        JavaPerson.eventually("Bob reads Alice's first message", () -> bob.texts.contains("before your new phone"));
        alice.page.click("[data-test=safety]").click("[data-test=verify]").waitFor("[data-test=verified]", "✓ Verified");
        String before = alice.page.evaluate("() => document.querySelector('[data-test=safety-number]').textContent", null).asText();
        alice.page.click("[data-test=safety-close]");

        // Bob's app lost its state: the same account and device with a new identity key (replace_identity).
        bob.close();
        ParleyClient reinstalled = ParleyClient.create(vertx, WebTestNode.address(), bob.credentials);
        SecureMessenger fresh = SecureMessenger.create(reinstalled, Files.createTempDirectory("parley-reinstalled"));
        JavaPerson.await(reinstalled.connect());
        JavaPerson.await(fresh.publishKeys());
        JavaPerson.await(fresh.send(alice.user, "new phone, same Bob".getBytes(StandardCharsets.UTF_8)));

        alice.waitForMessage("new phone, same Bob");
        alice.page.waitFor("[data-test=notice]", "safety number with this contact changed");
        alice.page.click("[data-test=safety]").waitFor("[data-test=verified]", "Not verified");
        alice.page.waitUntil("(before) => { const t = document.querySelector('[data-test=safety-number]').textContent;"
                + " return /^(\\d{5} ){11}\\d{5}$/.test(t) && t !== before; }", before);
        JavaPerson.await(reinstalled.close());
    }

    private static String safetyNumber(WebPerson person) {
        person.page.click("[data-test=safety]");
        person.page.waitUntil("() => /^(\\d{5} ){11}\\d{5}$/.test(document.querySelector('[data-test=safety-number]').textContent)", null);
        String digits = person.page.evaluate("() => document.querySelector('[data-test=safety-number]').textContent", null).asText();
        person.page.click("[data-test=safety-close]");
        return digits;
    }

    /** What the server holds as the user's primary identity key, as another user's Java client reads it. */
    private static IdentityKey primaryKey(JavaPerson reader, UUID user) throws Exception {
        var keys = JavaPerson.await(reader.client.send(Request.newBuilder().setGetIdentityKeys(
                GetIdentityKeysRequest.newBuilder().setUserId(Ids.bytes(user))))).getGetIdentityKeys();
        for (DeviceIdentity device : keys.getDevicesList()) {
            if (device.getDeviceId() == 1) {
                return new IdentityKey(device.getIdentityKey().toByteArray());
            }
        }
        throw new AssertionError("no primary identity key for " + user);
    }
}
