package io.parley.web.browser;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** A person in the browser app, doing what a person does: register, open chats, type and send, look. */
final class WebPerson {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final String username;
    final Browser.Page page;
    UUID user;

    private WebPerson(String username, Browser.Page page) {
        this.username = username;
        this.page = page;
    }

    static String uniqueName(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() % 100_000 + "_" + SEQUENCE.incrementAndGet();
    }

    /** Opens the app in a new browser context and registers through the welcome screen. */
    static WebPerson register(Browser browser, String username) {
        return register(browser, username, browser.request("newContext", username));
    }

    /** As {@link #register(Browser, String)}, in a context made with these options (see Browser#open). */
    static WebPerson register(Browser browser, String username, com.fasterxml.jackson.databind.node.ObjectNode context) {
        WebPerson person = new WebPerson(username, browser.open(username, WebTestNode.url(), context));
        person.page.fill("input[name=username]", username).click("[data-test=request-code]")
                .waitFor(".hint", "code was sent")
                .fill("input[name=code]", WebTestNode.CODES.codeFor(username))
                .click("[data-test=register]");
        person.waitUntilOnline();
        person.user = UUID.fromString(person.page.evaluate("() => window.parley.self", null).asText());
        return person;
    }

    /** Connected, authenticated, and its keys on the server (others can start sessions with it). */
    void waitUntilOnline() {
        page.waitFor("[data-test=connection]", "online");
        page.waitUntil("() => window.parley && window.parley.keysReady", null);
    }

    void startChat(String peerUsername) {
        page.click("[data-test=new-chat]").fill("[data-test=new-username]", peerUsername).click("[data-test=new-submit]");
        page.waitFor("[data-test=conversation-title]");
    }

    /** Opens the chat with exactly this title (a group's last line may name someone else's chat). */
    void openChat(String title) {
        page.click("[data-test=chat]:has([data-test=chat-title]:text-is('" + title + "'))")
                .waitFor("[data-test=conversation-title]", title);
    }

    void send(String text) {
        page.fill("[data-test=composer]", text).click("[data-test=send]");
    }

    void waitForMessage(String text) {
        page.waitFor("[data-test=message] [data-test=text]", text);
    }

    List<String> messages() {
        return page.texts("[data-test=message] [data-test=text]");
    }

    /** The tick of this person's own message with this text, once it reaches that state. */
    void waitForTick(String text, String tick) {
        page.waitUntil("([text, tick]) => [...document.querySelectorAll('[data-test=message]')].some(m =>"
                + " m.querySelector('[data-test=text]').textContent === text && m.querySelector(`[data-test=tick][data-tick=${tick}]`))",
                List.of(text, tick));
    }

    /** Waits until every envelope the server replayed after the last connect was handled. */
    void waitUntilIdle() {
        page.waitUntil("() => window.parley.receiver.idle().then(() => true)", Map.of());
    }

    /** Makes a provisioning code on this (primary) browser: Settings, "Show a link code"; returns it. */
    String createLinkCode() {
        page.click("[data-test=settings]").click("[data-test=create-link-code]");
        page.waitUntil("() => document.querySelector('[data-test=link-code]').textContent.length > 10", null);
        return page.evaluate("() => document.querySelector('[data-test=link-code]').textContent", null).asText();
    }

    /** Links a new browser context ("USERNAME-laptop") to this account by code; returns it once online with its keys. */
    Browser.Page linkCompanion(Browser browser) {
        String code = createLinkCode();
        Browser.Page laptop = browser.open(username + "-laptop", WebTestNode.url());
        laptop.fill("input[name=link-code]", code).fill("input[name=link-username]", username).click("[data-test=link]");
        laptop.waitFor("[data-test=connection]", "online");
        laptop.waitUntil("() => window.parley && window.parley.keysReady", null);
        return laptop;
    }
}
