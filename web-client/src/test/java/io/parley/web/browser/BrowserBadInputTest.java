package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.client.signal.ContentTypes;
import io.parley.proto.OutgoingEnvelope;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Bad input in the browser app: a message that does not decrypt shows a notice and asks the
 * sender's device for a session reset (after which messages decrypt again); a message over the
 * envelope limit is refused before anything is sent (413); server errors read as sentences.
 */
class BrowserBadInputTest extends BrowserTests {
    @Test
    void anUndecryptableMessageShowsANoticeAndTheSessionIsReset() throws Exception {
        JavaPerson java = new JavaPerson(vertx, WebPerson.uniqueName("jv"));
        WebPerson web = WebPerson.register(browser, WebPerson.uniqueName("wb"));
        java.send(web.user, "a good one first");
        web.page.waitFor("[data-test=chat]", java.username);
        web.openChat(java.username);
        web.waitForMessage("a good one first");

        byte[] garbage = "not a Signal message at all".getBytes(StandardCharsets.UTF_8);
        JavaPerson.await(java.secure.messenger().send(web.user, new byte[0], (user, device, plaintext) ->
                Future.succeededFuture(OutgoingEnvelope.newBuilder().setUserId(Ids.bytes(user)).setDeviceId(device)
                        .setContent(ByteString.copyFrom(garbage)).setContentType(ContentTypes.SIGNAL_MESSAGE).build())));
        web.page.waitFor("[data-test=undecryptable]", "could not be decrypted");
        JavaPerson.eventually("the Java SDK receives the browser's session reset", () -> !java.resets.isEmpty());
        assertThat(java.resets.get(0).user()).isEqualTo(web.user);

        java.send(web.user, "after the reset");
        web.waitForMessage("after the reset");
        web.send("browser after the reset");
        JavaPerson.eventually("the browser's message on the new session", () -> java.texts.contains("browser after the reset"));
        java.close();
    }

    @Test
    void aMessageOverTheEnvelopeLimitIsRefusedBeforeSending() {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        alice.startChat(bob.username);
        String huge = "x".repeat(70_000);
        alice.page.evaluate("(text) => { document.querySelector('[data-test=composer]').value = text; }", huge);
        alice.page.click("[data-test=send]");
        alice.page.waitFor("[data-test=error]", "Too large (413)");
        assertThat(alice.messages()).isEmpty();
        alice.send("a small one");
        bob.page.waitFor("[data-test=chat]", "a small one");
        bob.openChat(alice.username);
        bob.waitForMessage("a small one");
        assertThat(bob.messages()).containsExactly("a small one");
    }

    @Test
    void serverErrorsAreShownAsSentences() {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        alice.page.click("[data-test=new-chat]").fill("[data-test=new-username]", "nobody_" + System.nanoTime())
                .click("[data-test=new-submit]");
        alice.page.waitFor(".new .error", "Not found (404)");

        String name = WebPerson.uniqueName("wrongcode");
        Browser.Page page = browser.open(name, WebTestNode.url());
        page.fill("input[name=username]", name).click("[data-test=request-code]").waitFor(".hint", "code was sent");
        String code = WebTestNode.CODES.codeFor(name);
        page.fill("input[name=code]", code.equals("000000") ? "111111" : "000000").click("[data-test=register]");
        page.waitFor("[data-test=welcome-error]", "(401)");
        page.fill("input[name=username]", "X").click("[data-test=request-code]");
        page.waitFor("[data-test=welcome-error]", "(400)");
    }
}
