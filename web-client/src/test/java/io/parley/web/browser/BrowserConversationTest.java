package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.proto.AddContactRequest;
import io.parley.proto.Request;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * End to end as people use it: two people register in their own browsers, chat, see typing,
 * presence and their ticks turn read (blue), form a group with a Java SDK user, reload the page
 * and keep their history, and search it. Screenshots of the main screens go to docs/screenshots.
 */
class BrowserConversationTest extends BrowserTests {
    @Test
    void twoPeopleChatSeeTicksTurnReadFormAGroupWithAJavaUserAndKeepHistoryAfterAReload() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));

        alice.startChat(bob.username);
        alice.send("Hi Bob! Lunch at noon?");
        alice.waitForTick("Hi Bob! Lunch at noon?", "delivered");
        // Bob's chat list: Alice's chat with its last message and one unread.
        bob.page.waitFor("[data-test=chat]", "Hi Bob! Lunch at noon?");
        bob.page.waitFor("[data-test=chat] [data-test=unread]", "1");
        screenshot(bob, "chat-list");

        bob.openChat(alice.username);
        bob.waitForMessage("Hi Bob! Lunch at noon?");
        alice.waitForTick("Hi Bob! Lunch at noon?", "read");
        bob.page.waitUntil("() => document.querySelectorAll('[data-test=chat] [data-test=unread]').length === 0", null);

        alice.page.waitFor("[data-test=status]", "online");
        bob.page.fill("[data-test=composer]", "Sure, see you");
        alice.page.waitFor("[data-test=status]", "typing");
        bob.page.click("[data-test=send]");
        alice.waitForMessage("Sure, see you");
        bob.waitForTick("Sure, see you", "read");
        alice.send("Great!");
        bob.waitForMessage("Great!");
        alice.waitForTick("Great!", "read");
        screenshot(alice, "conversation");

        // A group with a Java SDK user, created in the browser.
        JavaPerson carol = new JavaPerson(vertx, WebPerson.uniqueName("carol"));
        alice.page.click("[data-test=new-group]").fill("[data-test=new-subject]", "Lunch crew")
                .fill("[data-test=new-members]", bob.username + ", " + carol.username).click("[data-test=new-submit]");
        alice.page.waitFor("[data-test=conversation-title]", "Lunch crew");
        alice.send("Welcome to the lunch crew");
        JavaPerson.eventually("the Java user reads the group message", () -> carol.groupTexts.contains("Welcome to the lunch crew"));
        bob.page.waitFor("[data-test=chat]", "Lunch crew");
        bob.openChat("Lunch crew");
        bob.waitForMessage("Welcome to the lunch crew");
        UUID groupId = UUID.fromString(alice.page.evaluate("() => document.querySelector('[data-test=conversation]').dataset.chat", null).asText());
        JavaPerson.await(carol.groups.send(groupId, "Thanks! Java here".getBytes(StandardCharsets.UTF_8)));
        alice.waitForMessage("Thanks! Java here");
        bob.waitForMessage("Thanks! Java here");
        bob.send("Pizza?");
        alice.waitForMessage("Pizza?");
        JavaPerson.eventually("the Java user reads Bob's group message", () -> carol.groupTexts.contains("Pizza?"));
        screenshot(alice, "group");

        // After a reload everything is still there (IndexedDB), and the session still works.
        bob.page.reload();
        bob.waitUntilOnline();
        bob.openChat(alice.username);
        assertThat(bob.messages()).containsSubsequence("Hi Bob! Lunch at noon?", "Sure, see you", "Great!");
        alice.openChat(bob.username);
        alice.send("Still there after your reload?");
        bob.waitForMessage("Still there after your reload?");
        bob.page.fill("[data-test=search]", "lunch crew");
        bob.page.waitFor("[data-test=search-result]", "Welcome to the lunch crew");
        carol.close();
    }

    @Test
    void aBrowserLinkedAsACompanionByCodeGetsMessagesAndTheCopiesOfWhatThePrimarySends() {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        Browser.Page laptop = alice.linkCompanion(browser);
        assertThat(laptop.evaluate("() => window.parley.account.credentials.deviceId", null).asInt()).isEqualTo(2);

        bob.startChat(alice.username);
        bob.send("to both of your devices");
        laptop.waitFor("[data-test=chat]", "to both of your devices");
        alice.page.waitFor("[data-test=chat]", "to both of your devices");
        alice.openChat(bob.username);
        alice.send("sent from my phone");
        bob.waitForMessage("sent from my phone");
        laptop.waitFor("[data-test=chat]", "sent from my phone");
        laptop.click("[data-test=chat]", "sent from my phone");
        laptop.waitFor("[data-test=message].out [data-test=text]", "sent from my phone");
    }

    @Test
    void aBroadcastReachesAsA1to1MessageEachRecipientWhoHasTheSenderAsAContact() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        JavaPerson carol = new JavaPerson(vertx, WebPerson.uniqueName("carol"));
        JavaPerson dave = new JavaPerson(vertx, WebPerson.uniqueName("dave"));
        bob.startChat(alice.username);
        JavaPerson.await(carol.client.send(Request.newBuilder().setAddContact(AddContactRequest.newBuilder()
                .setUsername(alice.username))));

        alice.page.click("[data-test=new-broadcast]").fill("[data-test=new-name]", "Friends")
                .fill("[data-test=new-recipients]", bob.username + ", " + carol.username + ", " + dave.username)
                .click("[data-test=new-submit]");
        alice.page.waitFor("[data-test=conversation-title]", "Friends");
        alice.send("Party on Friday");
        bob.waitForMessage("Party on Friday");
        JavaPerson.eventually("the Java recipient gets the broadcast 1:1", () -> carol.texts.contains("Party on Friday"));
        alice.page.waitFor("[data-test=notice]", "Not sent to " + dave.username);
        assertThat(dave.texts).isEmpty();
        carol.close();
        dave.close();
    }

    @Test
    void anEditAndADeleteForEveryoneReachTheOtherSide() {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        alice.startChat(bob.username);
        alice.send("See you at 12");
        alice.send("Bring the maps");
        bob.page.waitFor("[data-test=chat]", "Bring the maps");
        bob.openChat(alice.username);
        bob.waitForMessage("See you at 12");
        alice.waitForTick("See you at 12", "read");

        alice.page.answerNextDialog("See you at 1");
        alice.page.click("[data-test=message]:has-text('See you at 12') [data-test=edit]");
        bob.waitForMessage("See you at 1");
        bob.page.waitFor("[data-test=message]", "edited");
        alice.page.click("[data-test=message]:has-text('Bring the maps') [data-test=delete]");
        bob.waitForMessage("This message was deleted");
        assertThat(bob.messages()).containsExactly("See you at 1", "This message was deleted");
    }

    private static void screenshot(WebPerson person, String name) {
        person.page.screenshot(Browser.webClientDir().resolveSibling("docs").resolve("screenshots").resolve(name + ".png"));
    }
}
