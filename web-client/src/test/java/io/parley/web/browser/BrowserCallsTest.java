package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls between browsers through the real node: ringing, answer, reject, missed, busy, mute and
 * camera off, and media over Parley's TURN on loopback with relay-only ICE (Chromium's fake
 * camera and microphone), 1:1 and as a 3-person mesh. Media is checked in each page's getStats:
 * inbound RTP bytes from every other party, over a relay candidate pair.
 */
class BrowserCallsTest {
    private static final Logger LOG = LoggerFactory.getLogger(BrowserCallsTest.class);
    /**
     * Truthy (the set-up time and the stats) once every connection of the call carries media both ways
     * over TURN relays. Playwright's waitForFunction does not poll an async predicate (the promise
     * counts as truthy; its value, false included, is returned), so each poll starts a getStats and
     * judges the one the previous poll started.
     */
    private static final String MEDIA_OVER_RELAYS = """
            ({ parties, video }) => {
              window.parley.calls.stats().then(s => { window.callStatsSeen = s; });
              const stats = window.callStatsSeen ?? [];
              const flowing = stats.length === parties && stats.every(s => s.inboundBytes.audio > 0
                && (!video || s.inboundBytes.video > 0) && s.localCandidateType === 'relay' && s.remoteCandidateType === 'relay');
              return flowing && { setupMs: Date.now() - window.parley.calls.answeredAtMs, stats };
            }""";

    private static Browser browser;

    @BeforeAll
    static void start() {
        WebTestNode.get();
        browser = Browser.launch();
    }

    @AfterAll
    static void stop() {
        browser.close();
    }

    @Test
    void aRelayOnlyVideoCallCarriesMediaBothWaysThroughParleysTurn() {
        WebPerson alice = caller("alice");
        WebPerson bob = caller("bob");
        alice.startChat(bob.username);

        alice.page.click("[data-test=call-video]");
        alice.page.waitFor("[data-test=call-status]", "Calling");
        bob.page.waitFor("[data-test=call-title]", alice.username);
        bob.page.click("[data-test=call-accept]");

        JsonNode callee = bob.page.waitUntil(MEDIA_OVER_RELAYS, Map.of("parties", 1, "video", true));
        JsonNode caller = alice.page.waitUntil(MEDIA_OVER_RELAYS, Map.of("parties", 1, "video", true));
        LOG.info("call set-up, accept to media flowing both ways: callee {} ms, caller {} ms; callee stats {}",
                callee.path("setupMs").asLong(), caller.path("setupMs").asLong(), callee.path("stats"));
        assertThat(callee.path("stats").get(0).path("inboundBytes").path("video").asLong()).isPositive();
        assertThat(caller.path("stats").get(0).path("localCandidateType").asText()).isEqualTo("relay");
        bob.page.waitFor("[data-test=call-party][data-state=connected]");
        bob.page.screenshot(Browser.webClientDir().resolveSibling("docs").resolve("screenshots").resolve("call.png"));

        alice.page.click("[data-test=call-hang-up]");
        bob.page.waitFor("[data-test=call-status]", "Video call");
        alice.page.waitFor("[data-test=notice]", "Video call, 0:");
        bob.openChat(alice.username);
        bob.page.waitFor("[data-test=notice]", "Video call, 0:");
        alice.page.click("[data-test=call-history]");
        alice.page.waitFor("[data-test=call-record][data-outcome=ANSWERED]", "video");
    }

    @Test
    void aRelayOnlyVoiceCallAlsoFlowsOverTurnOnTcp() {
        WebPerson alice = caller("alice");
        WebPerson bob = caller("bob");
        for (WebPerson person : List.of(alice, bob)) {
            person.page.evaluate("() => { window.parley.calls.turnTransports = ['tcp']; }", null);
        }
        alice.startChat(bob.username);
        alice.page.click("[data-test=call-voice]");
        bob.page.click("[data-test=call-accept]");
        for (WebPerson person : List.of(alice, bob)) {
            JsonNode media = person.page.waitUntil(MEDIA_OVER_RELAYS, Map.of("parties", 1, "video", false));
            assertThat(media.path("stats").get(0).path("relayProtocol").asText()).isEqualTo("tcp");
        }
        bob.page.click("[data-test=call-hang-up]");
        alice.page.waitFor("[data-test=call-status]", "Voice call");
    }

    @Test
    void aCallWhoseMediaFindsNoRouteEndsWithASentence() {
        WebPerson alice = caller("alice");
        WebPerson bob = caller("bob");
        // Relay only and no TURN server to relay through: ICE has no candidate pair to try.
        for (WebPerson person : List.of(alice, bob)) {
            person.page.evaluate("() => { window.parley.calls.turnTransports = []; }", null);
        }
        alice.startChat(bob.username);
        alice.page.click("[data-test=call-voice]");
        bob.page.click("[data-test=call-accept]");
        // Whichever side's deadline passes first hangs up; the other sees the call end.
        alice.page.waitUntil("() => window.parley.calls.current?.phase === 'ended'", null);
        bob.page.waitUntil("() => window.parley.calls.current?.phase === 'ended'", null);
        String endings = alice.page.evaluate("() => window.parley.calls.current?.ending", null).asText() + " | "
                + bob.page.evaluate("() => window.parley.calls.current?.ending", null).asText();
        assertThat(endings).contains("could not connect: no route for its media");
    }

    @Test
    void aRejectedCallEndsForTheCallerWithADeclinedLine() {
        WebPerson alice = caller("alice");
        WebPerson bob = caller("bob");
        alice.startChat(bob.username);
        alice.page.click("[data-test=call-voice]");
        bob.page.waitFor("[data-test=call-status]", "Incoming voice call");
        bob.page.click("[data-test=call-reject]");
        alice.page.waitFor("[data-test=call-status]", "declined the call");
        alice.page.waitFor("[data-test=notice]", bob.username + " declined the call.");
        assertThat(alice.page.evaluate("() => window.parley.calls.current.phase", null).asText()).isEqualTo("ended");
        alice.page.click("[data-test=call-history]");
        alice.page.waitFor("[data-test=call-record][data-outcome=REJECTED]", "voice");
    }

    @Test
    void aCallTheCallerCancelsStopsRingingAndLeavesAMissedCallEntryInTheCalleesChat() {
        WebPerson alice = caller("alice");
        WebPerson bob = caller("bob");
        alice.startChat(bob.username);
        alice.page.click("[data-test=call-voice]");
        bob.page.waitFor("[data-test=call-accept]");
        alice.page.click("[data-test=call-hang-up]");
        alice.page.waitFor("[data-test=notice]", "Call cancelled: not answered.");
        bob.page.waitFor("[data-test=call-accept]", null, "hidden");
        bob.page.waitFor("[data-test=chat]", "Missed voice call from " + alice.username);
        bob.openChat(alice.username);
        bob.page.waitFor("[data-test=notice]", "Missed voice call from " + alice.username);
        bob.page.click("[data-test=call-history]");
        bob.page.waitFor("[data-test=call-record][data-outcome=MISSED]", "voice");
    }

    @Test
    void aCallNobodyAnswersTimesOutAsMissedOnBothSides() {
        WebPerson alice = caller("alice");
        WebPerson bob = caller("bob");
        alice.startChat(bob.username);
        alice.page.click("[data-test=call-video]");
        bob.page.waitFor("[data-test=call-accept]");
        // The node's ring time (calls.ringSeconds, 45 s by default) passes with nobody answering.
        bob.page.waitFor("[data-test=chat]", "Missed video call from " + alice.username);
        bob.page.waitFor("[data-test=call-accept]", null, "hidden");
        alice.page.waitFor("[data-test=notice]", "No answer.");
    }

    @Test
    void aCallRingsOnEveryDeviceOfTheCalleeAndStopsOnTheOthersWhenOneAccepts() {
        WebPerson alice = caller("alice");
        WebPerson bob = caller("bob");
        Browser.Page laptop = linkCompanion(bob);
        alice.startChat(bob.username);
        alice.page.click("[data-test=call-voice]");
        bob.page.waitFor("[data-test=call-accept]");
        laptop.waitFor("[data-test=call-accept]");
        laptop.click("[data-test=call-accept]");
        bob.page.waitFor("[data-test=call-status]", "Answered on another device");
        laptop.waitUntil(MEDIA_OVER_RELAYS, Map.of("parties", 1, "video", false));
        alice.page.waitUntil(MEDIA_OVER_RELAYS, Map.of("parties", 1, "video", false));
        assertThat(alice.page.evaluate("() => window.parley.calls.stats().then(s => s[0].key)", null).asText())
                .isEqualTo(bob.user + ".2");
        laptop.click("[data-test=call-hang-up]");
        alice.page.waitFor("[data-test=call-status]", "Voice call");
    }

    @Test
    void muteDisablesTheOutboundAudioTrackCameraOffTheVideoTrackAndASecondCallerHearsBusy() {
        WebPerson alice = caller("alice");
        WebPerson bob = caller("bob");
        WebPerson carol = caller("carol");
        alice.startChat(bob.username);
        alice.page.click("[data-test=call-video]");
        bob.page.click("[data-test=call-accept]");
        alice.page.waitUntil(MEDIA_OVER_RELAYS, Map.of("parties", 1, "video", true));

        alice.page.click("[data-test=call-mute]");
        alice.page.waitFor("[data-test=call-mute]", "Unmute");
        // What the peer connection sends: its audio sender's track is disabled (silence goes out), video still on.
        String senders = "() => window.parley.calls.sending().map(t => t.kind + ':' + t.enabled).sort().join(',')";
        assertThat(alice.page.evaluate(senders, null).asText()).isEqualTo("audio:false,video:true");
        alice.page.click("[data-test=call-camera]");
        alice.page.waitFor("[data-test=call-camera]", "Camera on");
        assertThat(alice.page.evaluate(senders, null).asText()).isEqualTo("audio:false,video:false");
        alice.page.click("[data-test=call-mute]").click("[data-test=call-camera]");
        assertThat(alice.page.evaluate(senders, null).asText()).isEqualTo("audio:true,video:true");

        carol.startChat(bob.username);
        carol.page.click("[data-test=call-voice]");
        carol.page.waitFor("[data-test=call-status]", "is on another call");
        carol.page.waitFor("[data-test=notice]", bob.username + " is on another call.");
        assertThat(bob.page.evaluate("() => window.parley.calls.current.phase", null).asText()).isEqualTo("active");
        bob.page.click("[data-test=call-hang-up]");
        alice.page.waitFor("[data-test=call-status]", "Video call");
    }

    @Test
    void aCallToSomeoneWhoBlockedYouFailsWithAReadableError() {
        WebPerson alice = caller("alice");
        WebPerson bob = caller("bob");
        bob.startChat(alice.username);
        bob.page.click("[data-test=block]").waitFor("[data-test=block]", "Unblock");
        alice.startChat(bob.username);
        alice.page.click("[data-test=call-voice]");
        alice.page.waitFor("[data-test=error]", "403");
        assertThat(alice.page.evaluate("() => window.parley.calls.current === undefined", null).asBoolean()).isTrue();
    }

    @Test
    void threePeopleInAGroupCallEachGetMediaFromTheTwoOthers() {
        WebPerson alice = caller("alice");
        WebPerson bob = caller("bob");
        WebPerson carol = caller("carol");
        alice.page.click("[data-test=new-group]").fill("[data-test=new-subject]", "Standup")
                .fill("[data-test=new-members]", bob.username + ", " + carol.username).click("[data-test=new-submit]");
        alice.page.waitFor("[data-test=conversation-title]", "Standup");
        alice.page.click("[data-test=call-video]");
        alice.page.waitFor("[data-test=call-status]", "group call");
        bob.page.waitFor("[data-test=call-title]", "Group call from " + alice.username).click("[data-test=call-accept]");
        carol.page.waitFor("[data-test=call-title]", "Group call from " + alice.username).click("[data-test=call-accept]");

        for (WebPerson person : List.of(alice, bob, carol)) {
            JsonNode media = person.page.waitUntil(MEDIA_OVER_RELAYS, Map.of("parties", 2, "video", true));
            LOG.info("group call, {}: {}", person.username, media.path("stats"));
        }
        carol.page.screenshot(Browser.webClientDir().resolveSibling("docs").resolve("screenshots").resolve("group-call.png"));
        carol.page.click("[data-test=call-hang-up]");
        alice.page.waitUntil(MEDIA_OVER_RELAYS, Map.of("parties", 1, "video", true));
        bob.page.waitUntil(MEDIA_OVER_RELAYS, Map.of("parties", 1, "video", true));
        alice.page.click("[data-test=call-hang-up]");
        bob.page.click("[data-test=call-hang-up]");
        bob.page.waitFor("[data-test=call-status]", "Group call");
    }

    /** Links a companion browser to the person's account by code (device 2); its calls use relays too. */
    private static Browser.Page linkCompanion(WebPerson person) {
        Browser.Page laptop = person.linkCompanion(browser);
        laptop.evaluate("() => { window.parley.calls.policy = 'relay'; }", null);
        return laptop;
    }

    /** A person registered in the browser whose calls use TURN relays only. */
    private static WebPerson caller(String prefix) {
        WebPerson person = WebPerson.register(browser, WebPerson.uniqueName(prefix));
        person.page.evaluate("() => { window.parley.calls.policy = 'relay'; }", null);
        return person;
    }
}
