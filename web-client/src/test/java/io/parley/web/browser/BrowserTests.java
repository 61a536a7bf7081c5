package io.parley.web.browser;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every browser test class needs, once per class: the shared web test node, one Chromium
 * (a person is a browser context of it) and a Vert.x instance for the Java SDK users.
 */
abstract class BrowserTests {
    static Vertx vertx;
    static Browser browser;

    @BeforeAll
    static void startBrowser() {
        WebTestNode.get();
        vertx = Vertx.vertx();
        browser = Browser.launch();
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
        JavaPerson.await(vertx.close());
    }
}
