package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.proto.GroupNotice;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Groups in the browser as people use them, with Java SDK members beside web ones: ticks of a
 * group message turn ✓✓ then blue as members receive and read it, and its message info says who;
 * an invite link that needs approval leaves joiners pending until a web admin lets one in and
 * turns the other down; a rename reaches every member as a notice; search finds a group message
 * after a reload. Writes docs/screenshots/group-info.png and message-info.png.
 */
class BrowserGroupsTest extends BrowserTests {
    @Test
    void groupTicksTurnDeliveredThenReadAsAWebAndAJavaMemberReadAndMessageInfoListsBoth() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        JavaPerson carol = new JavaPerson(vertx, WebPerson.uniqueName("carol"));
        UUID group = createGroup(alice, "Friday crew", bob.username, carol.username);

        alice.send("Who is in for Friday?");
        // Both members' devices confirm delivery by themselves: the web one with the chat closed.
        alice.waitForTick("Who is in for Friday?", "delivered");
        bob.page.waitFor("[data-test=chat][data-chat='" + group + "'] [data-test=unread]", "1");
        bob.page.waitFor("[data-test=chat][data-chat='" + group + "'] [data-test=last-message]", alice.username + ": Who is in for Friday?");

        bob.openChat("Friday crew");
        bob.waitForMessage("Who is in for Friday?");
        String messageId = serverId(alice, group, "Who is in for Friday?");
        alice.page.waitUntil("async ([g, m, u]) => (await window.parley.groupTicks.info(g, m)).members.some(x => x.userId === u && x.readMs > 0)",
                List.of(group.toString(), messageId, bob.user.toString()));
        // Bob read it, Carol only got it: still grey ✓✓, and the info says exactly that.
        assertThat(alice.page.attributes("[data-test=message]:has-text('Who is in for Friday?') [data-test=tick]", "data-tick"))
                .containsExactly("delivered");
        alice.page.click("[data-test=message]:has-text('Who is in for Friday?') [data-test=message-info-open]");
        alice.page.waitFor("[data-test=message-info] [data-test=info-read]", bob.username);
        alice.page.waitFor("[data-test=message-info] [data-test=info-delivered]", carol.username);
        alice.page.click("[data-test=close-info]");

        GroupMessengerRead.read(carol, group, "Who is in for Friday?");
        alice.waitForTick("Who is in for Friday?", "read");
        alice.page.click("[data-test=message]:has-text('Who is in for Friday?') [data-test=message-info-open]");
        alice.page.waitFor("[data-test=message-info] [data-test=info-read]", carol.username);
        assertThat(alice.page.texts("[data-test=message-info] [data-test=info-read] span"))
                .containsExactlyInAnyOrder(bob.username, carol.username);
        assertThat(alice.page.texts("[data-test=message-info] [data-test=info-delivered]")).isEmpty();
        screenshot(alice, "message-info");
        carol.close();
    }

    @Test
    void aReaderWithReadReceiptsOffSendsNoGroupReadReceiptSoTheTickStaysDelivered() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        bob.page.evaluate("() => window.parley.setPrivacy('EVERYONE', true)", null);
        UUID group = createGroup(alice, "Quiet readers", bob.username);
        alice.send("read me quietly");
        alice.waitForTick("read me quietly", "delivered");
        bob.page.waitFor("[data-test=chat]", "Quiet readers");
        bob.openChat("Quiet readers");
        bob.waitForMessage("read me quietly");
        bob.page.waitUntil("() => window.parley.receiver.idle().then(() => true)", null);
        String messageId = serverId(alice, group, "read me quietly");
        // Bob's device acked the message and sent no READ: the server's record says delivered, never read.
        alice.page.waitUntil("async ([g, m]) => { const i = await window.parley.groupTicks.info(g, m);"
                + " return i.members.length === 1 && i.members[0].deliveredMs > 0 && i.members[0].readMs === 0; }",
                List.of(group.toString(), messageId));
        alice.send("a second one");
        bob.waitForMessage("a second one");
        alice.waitForTick("a second one", "delivered");
        assertThat(alice.page.attributes("[data-test=message]:has-text('read me quietly') [data-test=tick]", "data-tick"))
                .containsExactly("delivered");
    }

    @Test
    void joinersByALinkNeedingApprovalWaitUntilAWebAdminApprovesOneAndRejectsTheOther() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        WebPerson erin = WebPerson.register(browser, WebPerson.uniqueName("erin"));
        JavaPerson carol = new JavaPerson(vertx, WebPerson.uniqueName("carol"));
        UUID group = createGroup(alice, "Book club", carol.username);

        alice.page.click("[data-test=group-info]").click("[data-test=invite-approval]").click("[data-test=create-invite]");
        String code = inviteCode(alice);

        join(bob, code);
        bob.page.waitFor("[data-test=status]", "waiting for an admin");
        bob.page.waitFor("[data-test=notice]", "An admin of the group must approve");
        join(erin, code);
        erin.page.waitFor("[data-test=status]", "waiting for an admin");

        // The admin's open group info lists both requests as their notices arrive.
        alice.page.waitFor("[data-test=join-request]", bob.username);
        alice.page.waitFor("[data-test=join-request]", erin.username);
        screenshot(alice, "group-info");
        alice.page.click("[data-test=join-request][data-name='" + bob.username + "'] [data-test=approve-join]");
        bob.page.waitFor("[data-test=notice]", alice.username + " approved your request to join");
        bob.page.waitFor("[data-test=conversation-title]", "Book club");
        alice.page.waitFor("[data-test=member]", bob.username);

        alice.page.click("[data-test=join-request][data-name='" + erin.username + "'] [data-test=reject-join]");
        erin.page.waitFor("[data-test=notice]", "Your request to join \"Book club\" was declined by an admin.");
        erin.page.waitFor("[data-test=status]", "your request to join was declined");
        alice.page.waitFor("[data-test=no-join-requests]");

        // The approved joiner is a member: its message reaches the admin and the Java member.
        bob.send("Thanks for letting me in");
        JavaPerson.eventually("the Java member reads the new member's message", () -> carol.groupTexts.contains("Thanks for letting me in"));
        alice.page.click("[data-test=group-back]");
        alice.waitForMessage("Thanks for letting me in");
        // The rejected one is not: a send is refused with a readable reason.
        erin.send("let me in");
        erin.page.waitFor("[data-test=error]", "Not allowed (403)");
        assertThat(carol.groupTexts).doesNotContain("let me in");
        carol.close();
    }

    @Test
    void aBadOrUsedUpInviteCodeIsRefusedInWords() {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        createGroup(alice, "Closed door", bob.username);
        alice.page.click("[data-test=group-info]").click("[data-test=create-invite]");
        String code = inviteCode(alice);
        alice.page.click("[data-test=revoke-invite]");
        alice.page.waitUntil("() => document.querySelector('[data-test=invite-code]').textContent === ''", null);

        WebPerson erin = WebPerson.register(browser, WebPerson.uniqueName("erin"));
        erin.page.click("[data-test=join-group]").fill("[data-test=new-invite]", "no-such-code").click("[data-test=new-submit]");
        erin.page.waitFor(".card .error", "Not found (404)");
        erin.page.fill("[data-test=new-invite]", code).click("[data-test=new-submit]");
        erin.page.waitFor(".card .error", "No longer valid (410)");
        erin.page.fill("[data-test=new-invite]", " ").click("[data-test=new-submit]");
        erin.page.waitFor(".card .error", "enter the invite code");
    }

    @Test
    void aRenameShowsANoticeOnEveryMemberAndSearchFindsAGroupMessageAfterAReload() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        JavaPerson carol = new JavaPerson(vertx, WebPerson.uniqueName("carol"));
        UUID group = createGroup(alice, "Trip", bob.username, carol.username);
        alice.send("Bring the tent please");
        bob.page.waitFor("[data-test=chat]", "Bring the tent please");
        bob.openChat("Trip");
        bob.waitForMessage("Bring the tent please");

        // Any member edits the info while the settings allow it: Bob renames, everyone is told.
        bob.page.click("[data-test=group-info]").fill("[data-test=group-subject]", "Summer trip")
                .fill("[data-test=group-description]", "Lakes, 2 to 9 August").click("[data-test=group-save]");
        bob.page.waitFor("[data-test=group-saved]", "Saved");
        alice.page.waitFor("[data-test=notice]", bob.username + " changed the group name to \"Summer trip\"");
        alice.page.waitFor("[data-test=conversation-title]", "Summer trip");
        alice.page.waitFor("[data-test=chat] [data-test=chat-title]", "Summer trip");
        JavaPerson.eventually("the Java member hears of the rename", () -> carol.groupNotices.stream()
                .anyMatch(n -> n.getKind() == GroupNotice.Kind.INFO_CHANGED && n.getSubject().equals("Summer trip")));
        bob.page.click("[data-test=group-back]");
        bob.page.waitFor("[data-test=notice]", "You changed the group name to \"Summer trip\"");
        bob.page.waitFor("[data-test=conversation-title]", "Summer trip");

        // An empty name is refused before asking; then the admin keeps the info to admins.
        bob.page.click("[data-test=group-info]").fill("[data-test=group-subject]", "  ").click("[data-test=group-save]");
        bob.page.waitFor("[data-test=group-error]", "a group name has 1 to 100 characters");
        alice.page.click("[data-test=group-info]").click("[data-test=admins-edit-info]");
        bob.page.waitFor("[data-test=group-subject][disabled]");
        bob.page.click("[data-test=group-back]");
        bob.page.waitFor("[data-test=notice]", "only admins can edit the group info");
        String refused = bob.page.evaluate("async (g) => { try { await window.parley.groupActions.updateInfo(g, { subject: 'Bob trip' });"
                + " return 'saved'; } catch (e) { return e.readable; } }", group.toString()).asText();
        assertThat(refused).startsWith("Not allowed (403)");

        // History stays on the device: after a reload, search finds the group message and opens it.
        bob.page.reload();
        bob.waitUntilOnline();
        bob.page.fill("[data-test=search]", "tent");
        bob.page.waitFor("[data-test=search-result]", "Bring the tent please");
        bob.page.click("[data-test=search-result]", "Bring the tent please");
        bob.page.waitFor("[data-test=conversation-title]", "Summer trip");
        bob.page.waitFor("[data-test=message].highlight", "Bring the tent please");
        carol.close();
    }

    /** Creates a group in the browser and returns its id once its conversation is open. */
    private static UUID createGroup(WebPerson admin, String subject, String... members) {
        admin.page.click("[data-test=new-group]").fill("[data-test=new-subject]", subject)
                .fill("[data-test=new-members]", String.join(", ", members)).click("[data-test=new-submit]");
        admin.page.waitFor("[data-test=conversation-title]", subject);
        return UUID.fromString(admin.page.evaluate("() => document.querySelector('[data-test=conversation]').dataset.chat", null).asText());
    }

    private static void join(WebPerson person, String code) {
        person.page.click("[data-test=join-group]").fill("[data-test=new-invite]", code).click("[data-test=new-submit]");
        String refusal = person.page.waitUntil("() => document.querySelector('[data-test=conversation]') ? 'joined'"
                + " : document.querySelector('.card .error')?.textContent", null).asText();
        assertThat(refusal).isEqualTo("joined");
    }

    private static String inviteCode(WebPerson admin) {
        return admin.page.waitUntil("() => { const c = document.querySelector('[data-test=invite-code]').textContent;"
                + " return c.length > 10 && c; }", null).asText();
    }

    /** The server's id of the sender's own message with this text, once its send was answered. */
    private static String serverId(WebPerson sender, UUID chat, String text) {
        return sender.page.waitUntil("async ([c, t]) => (await window.parley.history.messages(c)).find(m => m.text === t && m.serverId)?.serverId",
                List.of(chat.toString(), text)).asText();
    }

    private static void screenshot(WebPerson person, String name) {
        person.page.screenshot(Browser.webClientDir().resolveSibling("docs").resolve("screenshots").resolve(name + ".png"));
    }

    /** A Java SDK member reads a group message it received, as a native app does when it shows it. */
    private static final class GroupMessengerRead {
        static void read(JavaPerson person, UUID group, String text) {
            JavaPerson.eventually("the Java member to have " + text, () -> person.groupMessages.stream().anyMatch(m -> m.text().equals(text)));
            var message = person.groupMessages.stream().filter(m -> m.text().equals(text)).findFirst().orElseThrow();
            JavaPerson.await(person.groups.markRead(group, List.of(message.messageId())));
        }
    }
}
