package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bus.Ids;
import io.parley.client.ParleyException;
import io.parley.client.media.MessageContents;
import io.parley.client.status.Audience;
import io.parley.client.status.StatusApi;
import io.parley.proto.AddContactRequest;
import io.parley.proto.MessageContent;
import io.parley.proto.Request;
import io.parley.proto.StatusPosted;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Status posts between the browser and Java SDK users, through a real node: a web user shares a
 * status only with Bob (Java), who decrypts it, shows in the poster's viewers and replies 1:1, while
 * Carol (a contact left out) gets 404; and a Java user's status is opened and answered in the browser.
 */
class BrowserStatusTest extends BrowserTests {
    @Test
    void aStatusSharedOnlyWithBobReachesBobNotCarolListsBobAsViewerAndBobsReplyArrivesInTheChat() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        JavaPerson bob = new JavaPerson(vertx, WebPerson.uniqueName("bob"));
        JavaPerson carol = new JavaPerson(vertx, WebPerson.uniqueName("carol"));
        alice.startChat(bob.username);
        alice.startChat(carol.username);

        alice.page.click("[data-test=status-tab]").waitFor("[data-test=status-panel]");
        alice.page.select("[data-test=status-audience]", "ONLY_SHARE_WITH")
                .click("[data-test=status-contact][data-user='" + bob.user() + "']")
                .fill("[data-test=status-text]", "Hiking today, only Bob knows").click("[data-test=post-status]");
        alice.page.waitFor("[data-test=my-status]", "Hiking today, only Bob knows");
        UUID postId = UUID.fromString(alice.page.evaluate(
                "() => document.querySelector('[data-test=my-status]').dataset.post", null).asText());

        StatusApi bobStatus = new StatusApi(bob.secure);
        assertThat(JavaPerson.await(bobStatus.list())).extracting(s -> Ids.uuid(s.getPostId(), "post_id")).contains(postId);
        StatusApi.Viewed viewed = JavaPerson.await(bobStatus.view(postId));
        assertThat(viewed.content().getText()).isEqualTo("Hiking today, only Bob knows");
        assertThat(Ids.uuid(viewed.post().getPoster(), "poster")).isEqualTo(alice.user);

        // Carol is a contact too, but not in the audience: no copy for her, as if there were no post.
        StatusApi carolStatus = new StatusApi(carol.secure);
        assertThat(JavaPerson.await(carolStatus.list())).extracting(s -> Ids.uuid(s.getPostId(), "post_id")).doesNotContain(postId);
        assertThatThrownBy(() -> JavaPerson.await(carolStatus.view(postId)))
                .rootCause().isInstanceOfSatisfying(ParleyException.class, e -> assertThat(e.code()).isEqualTo(404));

        alice.page.waitFor("[data-test=my-status] [data-test=status-audience-label]", "Only shared with " + bob.username);
        alice.page.waitFor("[data-test=my-status] [data-test=viewers]", bob.username);
        assertThat(alice.page.texts("[data-test=my-status] [data-test=viewers]").get(0)).doesNotContain(carol.username);
        screenshot(alice, "status");

        JavaPerson.await(bobStatus.reply(viewed.post(), "Have fun up there!"));
        alice.page.click("[data-test=chat]", bob.username).waitFor("[data-test=conversation-title]", bob.username);
        alice.waitForMessage("Have fun up there!");
        alice.page.waitFor("[data-test=message]:has-text('Have fun up there!') [data-test=status-reply]");
        bob.close();
        carol.close();
    }

    @Test
    void contactsExceptCarolReachesBobButNotCarolAndAllContactsReachesBoth() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        JavaPerson bob = new JavaPerson(vertx, WebPerson.uniqueName("bob"));
        JavaPerson carol = new JavaPerson(vertx, WebPerson.uniqueName("carol"));
        alice.startChat(bob.username);
        alice.startChat(carol.username);
        alice.page.click("[data-test=status-tab]").waitFor("[data-test=status-panel]");
        alice.page.select("[data-test=status-audience]", "CONTACTS_EXCEPT")
                .click("[data-test=status-contact][data-user='" + carol.user() + "']")
                .fill("[data-test=status-text]", "Surprise party for Carol").click("[data-test=post-status]");
        UUID secret = postIdOf(alice, "Surprise party for Carol");
        alice.page.select("[data-test=status-audience]", "CONTACTS")
                .fill("[data-test=status-text]", "Party on Friday, everyone").click("[data-test=post-status]");
        UUID open = postIdOf(alice, "Party on Friday, everyone");

        StatusApi bobStatus = new StatusApi(bob.secure);
        StatusApi carolStatus = new StatusApi(carol.secure);
        assertThat(JavaPerson.await(bobStatus.view(secret)).content().getText()).isEqualTo("Surprise party for Carol");
        assertThatThrownBy(() -> JavaPerson.await(carolStatus.view(secret)))
                .rootCause().isInstanceOfSatisfying(ParleyException.class, e -> assertThat(e.code()).isEqualTo(404));
        assertThat(JavaPerson.await(bobStatus.view(open)).content().getText()).isEqualTo("Party on Friday, everyone");
        assertThat(JavaPerson.await(carolStatus.view(open)).content().getText()).isEqualTo("Party on Friday, everyone");
        bob.close();
        carol.close();
    }

    private static UUID postIdOf(WebPerson poster, String text) {
        poster.page.waitFor("[data-test=my-status]", text);
        return UUID.fromString(poster.page.evaluate("(text) => [...document.querySelectorAll('[data-test=my-status]')]"
                + ".find(e => e.textContent.includes(text)).dataset.post", text).asText());
    }

    @Test
    void aJavaUsersStatusIsOpenedInTheBrowserWhichShowsAsAViewerAndRepliesToIt() throws Exception {
        WebPerson dave = WebPerson.register(browser, WebPerson.uniqueName("dave"));
        JavaPerson bob = new JavaPerson(vertx, WebPerson.uniqueName("bob"));
        JavaPerson.await(bob.client.send(Request.newBuilder().setAddContact(AddContactRequest.newBuilder().setUsername(dave.username))));
        StatusApi bobStatus = new StatusApi(bob.secure);
        StatusPosted posted = JavaPerson.await(bobStatus.post(MessageContent.newBuilder().setText("Java says hi from the beach").build(),
                Audience.onlyShareWith(Set.of(dave.user))));
        UUID postId = Ids.uuid(posted.getPostId(), "post_id");

        dave.page.click("[data-test=status-tab]");
        dave.page.waitFor("[data-test=contact-status][data-post='" + postId + "']", bob.username);
        dave.page.click("[data-test=contact-status][data-post='" + postId + "']");
        dave.page.waitFor("[data-test=status-view-text]", "Java says hi from the beach");
        JavaPerson.eventually("Dave in the Java poster's viewers", () -> JavaPerson.await(bobStatus.viewers(postId)).getViewersList()
                .stream().anyMatch(v -> Ids.uuid(v.getUserId(), "user_id").equals(dave.user)));

        dave.page.fill("[data-test=status-reply-text]", "Enjoy the sun").click("[data-test=status-reply-send]");
        // The SDK's structured content: 0x00, then a MessageContent that names the post.
        JavaPerson.eventually("the reply reaches the Java poster 1:1", () -> bob.plaintexts.stream()
                .anyMatch(p -> MessageContents.decode(p).getText().equals("Enjoy the sun")));
        byte[] reply = bob.plaintexts.stream().filter(p -> MessageContents.decode(p).getText().equals("Enjoy the sun"))
                .findFirst().orElseThrow();
        assertThat(reply[0]).isZero();
        MessageContent content = MessageContents.decode(reply);
        assertThat(Ids.uuid(content.getStatusPostId(), "status_post_id")).isEqualTo(postId);

        // A post the server no longer lists (deleted here; the 24-hour sweep does the same) leaves the screen.
        JavaPerson.await(bobStatus.delete(postId));
        dave.page.waitUntil("(id) => !document.querySelector(`[data-test=contact-status][data-post='${id}']`)"
                + " && !document.querySelector(`[data-test=status-viewer] [data-post='${id}']`)", postId.toString());
        bob.close();
    }

    @Test
    void aStatusWithoutTextOrWithoutAnyoneChosenIsRefusedWithASentence() {
        WebPerson erin = WebPerson.register(browser, WebPerson.uniqueName("erin"));
        erin.page.click("[data-test=status-tab]").waitFor("[data-test=status-panel]");
        erin.page.click("[data-test=post-status]");
        erin.page.waitFor("[data-test=status-error]", "a status needs some text");
        erin.page.select("[data-test=status-audience]", "ONLY_SHARE_WITH").fill("[data-test=status-text]", "to nobody")
                .click("[data-test=post-status]");
        erin.page.waitFor("[data-test=status-error]", "choose at least one contact");
        erin.page.select("[data-test=status-audience]", "CONTACTS").fill("[data-test=status-text]", "x".repeat(7000))
                .click("[data-test=post-status]");
        erin.page.waitFor("[data-test=status-error]", "413");
        assertThat(erin.page.texts("[data-test=my-status]")).isEmpty();
    }

    private static void screenshot(WebPerson person, String name) {
        person.page.screenshot(Browser.webClientDir().resolveSibling("docs").resolve("screenshots").resolve(name + ".png"));
    }
}
