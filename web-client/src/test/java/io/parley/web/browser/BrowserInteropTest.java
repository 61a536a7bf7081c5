package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.OutgoingEnvelope;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.message.CiphertextMessage;

/**
 * Interop through a real node: the Java SDK (libsignal 0.86.5) and the TypeScript app in
 * Chromium establish sessions both ways (PQXDH), exchange ratcheted messages, out of order and
 * across a reload and a dropped connection, and exchange group messages with sender keys.
 */
class BrowserInteropTest extends BrowserTests {
    @Test
    void browserStartsASessionWithTheJavaSdkAndTheyRatchetBothWays() throws Exception {
        JavaPerson java = new JavaPerson(vertx, WebPerson.uniqueName("jv"));
        WebPerson web = WebPerson.register(browser, WebPerson.uniqueName("wb"));

        web.startChat(java.username);
        web.send("hello from chromium");
        JavaPerson.eventually("the Java SDK decrypts the browser's first (prekey) message",
                () -> java.texts.contains("hello from chromium"));
        java.send(web.user, "hello from java");
        web.waitForMessage("hello from java");
        for (int i = 0; i < 3; i++) {
            web.send("web " + i);
            java.send(web.user, "java " + i);
        }
        JavaPerson.eventually("three more from the browser", () -> java.texts.containsAll(List.of("web 0", "web 1", "web 2")));
        web.waitForMessage("java 2");
        assertThat(web.messages()).contains("java 0", "java 1", "java 2");
        assertThat(java.failures).isEmpty();
        java.close();
    }

    @Test
    void javaSdkStartsTheSessionAndTheBrowserDecryptsOutOfOrderAndAfterAReload() throws Exception {
        JavaPerson java = new JavaPerson(vertx, WebPerson.uniqueName("jv"));
        WebPerson web = WebPerson.register(browser, WebPerson.uniqueName("wb"));

        java.send(web.user, "first from java");
        web.page.waitFor("[data-test=chat]", java.username);
        web.openChat(java.username);
        web.waitForMessage("first from java");

        // Three ratcheted messages encrypted in order and delivered in the order 3, 1, 2.
        SignalProtocolAddress address = new SignalProtocolAddress(web.user.toString(), 1);
        List<CiphertextMessage> sealed = new ArrayList<>();
        for (String text : List.of("ooo 1", "ooo 2", "ooo 3")) {
            sealed.add(new SessionCipher(java.secure.store(), address).encrypt(text.getBytes(StandardCharsets.UTF_8)));
        }
        for (int index : new int[] {2, 0, 1}) {
            CiphertextMessage message = sealed.get(index);
            JavaPerson.await(java.secure.messenger().send(web.user, new byte[0], (user, device, plaintext) ->
                    Future.succeededFuture(OutgoingEnvelope.newBuilder().setUserId(Ids.bytes(user)).setDeviceId(device)
                            .setContent(ByteString.copyFrom(message.serialize())).setContentType(message.getType()).build())));
        }
        web.waitForMessage("ooo 1");
        web.waitForMessage("ooo 2");
        web.waitForMessage("ooo 3");

        // The session lives in IndexedDB: after a reload the browser still decrypts and encrypts.
        web.page.reload();
        web.waitUntilOnline();
        java.send(web.user, "after the reload");
        web.openChat(java.username);
        web.waitForMessage("after the reload");
        assertThat(web.messages()).contains("first from java", "ooo 3", "after the reload");
        web.send("reply after the reload");
        JavaPerson.eventually("the reply after the reload", () -> java.texts.contains("reply after the reload"));

        // A dropped connection: what is sent meanwhile is replayed from the inbox and decrypts.
        web.page.evaluate("() => window.parley.connection.drop()", null);
        java.send(web.user, "while reconnecting");
        web.waitForMessage("while reconnecting");
        web.page.waitFor("[data-test=connection]", "online");
        web.send("after reconnecting");
        JavaPerson.eventually("the browser's message after reconnecting", () -> java.texts.contains("after reconnecting"));
        assertThat(java.failures).isEmpty();
        java.close();
    }

    @Test
    void groupMessagesWithSenderKeysFlowBetweenTheJavaSdkAndTheBrowser() throws Exception {
        JavaPerson java = new JavaPerson(vertx, WebPerson.uniqueName("jv"));
        WebPerson web = WebPerson.register(browser, WebPerson.uniqueName("wb"));

        UUID groupId = Ids.uuid(JavaPerson.await(new io.parley.client.GroupsApi(java.client)
                .create("Interop group", List.of(web.user))).getGroupId(), "group_id");
        JavaPerson.await(java.groups.send(groupId, "group hello from java".getBytes(StandardCharsets.UTF_8)));
        web.page.waitFor("[data-test=chat]", "Interop group");
        web.openChat("Interop group");
        web.waitForMessage("group hello from java");

        web.send("group hello from chromium");
        JavaPerson.eventually("the Java SDK decrypts the browser's sender-key message",
                () -> java.groupTexts.contains("group hello from chromium"));
        JavaPerson.await(java.groups.send(groupId, "second from java".getBytes(StandardCharsets.UTF_8)));
        web.waitForMessage("second from java");
        web.send("second from chromium");
        JavaPerson.eventually("the browser's second group message", () -> java.groupTexts.contains("second from chromium"));
        java.close();
    }
}
