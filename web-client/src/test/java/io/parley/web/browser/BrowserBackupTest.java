package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.client.backup.BackupApi;
import io.parley.client.backup.BackupArchive;
import io.parley.client.backup.MessageHistory;
import io.parley.proto.CreateLinkCodeRequest;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Request;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Encrypted backup in the browser app: a backup made in one browser restores in a new browser
 * linked to the same account (the chat and its messages are there), and the Java SDK reads it
 * too; a backup made by the Java SDK restores in a browser; a wrong passphrase is refused with a
 * clear error and restores nothing.
 */
class BrowserBackupTest extends BrowserTests {
    private static final String PASSPHRASE = "a long and secret passphrase";
    @Test
    void aBackupMadeInOneBrowserRestoresInANewBrowserOfTheAccountAndNotWithAWrongPassphrase() throws Exception {
        JavaPerson alice = new JavaPerson(vertx, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        String hello = "hello bob " + UUID.randomUUID();
        alice.send(bob.user, hello);
        bob.page.waitFor("[data-test=chat]", alice.username);
        bob.openChat(alice.username);
        bob.waitForMessage(hello);
        bob.send("hello alice, backed up");
        bob.page.waitUntil("() => [...document.querySelectorAll('[data-test=message] [data-test=tick]')]"
                + ".some(t => t.getAttribute('data-tick') !== 'pending')", null);

        bob.page.click("[data-test=settings]").fill("[data-test=backup-passphrase]", PASSPHRASE).click("[data-test=backup]");
        bob.page.waitFor("[data-test=backup-status]", "Backed up 2 messages");

        // The Java SDK reads the browser's backup with the same passphrase.
        BackupApi sdk = new BackupApi(vertx, WebTestNode.address(), credentialsOf(bob.page));
        BackupArchive archive = JavaPerson.await(sdk.restore(PASSPHRASE.toCharArray()));
        JavaPerson.await(sdk.close());
        assertThat(archive.userId()).isEqualTo(bob.user);
        assertThat(archive.history()).extracting(MessageHistory.Entry::text).containsExactlyInAnyOrder(hello, "hello alice, backed up");
        assertThat(archive.history()).allMatch(e -> e.peer().equals(alice.user()));

        Browser.Page laptop = linkBrowser(bob.username + "-laptop", linkCodeFrom(bob.page), bob.username);
        laptop.click("[data-test=settings]").fill("[data-test=backup-passphrase]", "not the passphrase at all")
                .click("[data-test=restore]");
        laptop.waitFor("[data-test=backup-error]", "wrong passphrase");
        assertThat(laptop.evaluate("() => window.parley.history.chats().then(c => c.length)", null).asInt())
                .as("a wrong passphrase restores nothing").isZero();

        laptop.fill("[data-test=backup-passphrase]", PASSPHRASE).click("[data-test=restore]");
        laptop.waitFor("[data-test=backup-status]", "Restored 2 messages");
        laptop.click("[data-test=chat]", alice.username).waitFor("[data-test=conversation-title]", alice.username);
        laptop.waitFor("[data-test=message] [data-test=text]", hello);
        laptop.waitFor("[data-test=message] [data-test=text]", "hello alice, backed up");

        laptop.click("[data-test=settings]").fill("[data-test=backup-passphrase]", PASSPHRASE).click("[data-test=restore]");
        laptop.waitFor("[data-test=backup-status]", "Restored 0 messages.");
        alice.close();
    }

    @Test
    void aBackupMadeByTheJavaSdkRestoresInABrowserLinkedToTheAccount() throws Exception {
        JavaPerson carol = new JavaPerson(vertx, WebPerson.uniqueName("carol"));
        UUID peer = UUID.randomUUID();
        String text = "kept by the SDK " + UUID.randomUUID();
        BackupApi sdk = new BackupApi(vertx, WebTestNode.address(), carol.credentials);
        JavaPerson.await(sdk.backup(PASSPHRASE.toCharArray(), new BackupArchive(carol.user(), System.currentTimeMillis(),
                List.of(new MessageHistory.Entry(UUID.randomUUID(), false, peer, text, System.currentTimeMillis())),
                new JsonObject())));
        JavaPerson.await(sdk.close());
        String code = JavaPerson.await(carol.client.send(Request.newBuilder().setCreateLinkCode(
                CreateLinkCodeRequest.getDefaultInstance()))).getCreateLinkCode().getCode();

        Browser.Page browserOfCarol = linkBrowser(carol.username + "-browser", code, carol.username);
        browserOfCarol.click("[data-test=settings]").fill("[data-test=backup-passphrase]", PASSPHRASE).click("[data-test=restore]");
        browserOfCarol.waitFor("[data-test=backup-status]", "Restored 1 message.");
        browserOfCarol.click("[data-test=chat]", "user " + peer.toString().substring(0, 8));
        browserOfCarol.waitFor("[data-test=message] [data-test=text]", text);
        carol.close();
    }

    @Test
    void aPassphraseTooShortIsRefusedBeforeAnythingIsStored() {
        WebPerson dave = WebPerson.register(browser, WebPerson.uniqueName("dave"));
        dave.page.click("[data-test=settings]").fill("[data-test=backup-passphrase]", "short").click("[data-test=backup]");
        dave.page.waitFor("[data-test=backup-error]", "at least 8 characters");
        dave.page.fill("[data-test=backup-passphrase]", PASSPHRASE).click("[data-test=restore]");
        dave.page.waitFor("[data-test=backup-error]", "Not found (404)");
    }

    private static String linkCodeFrom(Browser.Page primary) {
        primary.click("[data-test=create-link-code]");
        primary.waitUntil("() => document.querySelector('[data-test=link-code]').textContent.length > 10", null);
        return primary.evaluate("() => document.querySelector('[data-test=link-code]').textContent", null).asText();
    }

    private static Browser.Page linkBrowser(String name, String code, String username) {
        Browser.Page page = browser.open(name, WebTestNode.url());
        page.fill("input[name=link-code]", code).fill("input[name=link-username]", username).click("[data-test=link]");
        page.waitFor("[data-test=connection]", "online");
        return page;
    }

    private static DeviceCredentials credentialsOf(Browser.Page page) {
        var credentials = page.evaluate("() => window.parley.account.credentials", Map.of());
        return DeviceCredentials.newBuilder()
                .setUserId(ByteString.copyFrom(Base64.getDecoder().decode(credentials.path("userId").asText())))
                .setDeviceId(credentials.path("deviceId").asInt()).setPassword(credentials.path("password").asText()).build();
    }
}
