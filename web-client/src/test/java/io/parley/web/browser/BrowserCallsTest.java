package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
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
     * over TURN relays. Playwright's waitForFunction does not await a promise, so each poll starts a
     * getStats and judges the one the previous poll started.
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

        JsonNode callee = bob.page.waitUntil(MEDIA_OVER_RELAYS, java.util.Map.of("parties", 1, "video", true));
        JsonNode caller = alice.page.waitUntil(MEDIA_OVER_RELAYS, java.util.Map.of("parties", 1, "video", true));
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

    /** A person registered in the browser whose calls use TURN relays only. */
    private static WebPerson caller(String prefix) {
        WebPerson person = WebPerson.register(browser, WebPerson.uniqueName(prefix));
        person.page.evaluate("() => { window.parley.calls.policy = 'relay'; }", null);
        return person;
    }

    static List<String> notices(WebPerson person) {
        return person.page.texts("[data-test=notice]");
    }
}
