package io.parley.node;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser app at {@code /}: the web client's built files (index.html, hashed assets), read
 * from the class path folder {@code parley-web} that the web-client module's build fills. A node
 * started without them on its class path serves the API only and answers 404 at {@code /}.
 */
final class WebAppRoutes {
    /** The class path folder the web-client build writes (web-client/target/classes/parley-web). */
    static final String CLASSPATH_ROOT = "parley-web";
    /** Hashed file names change with every build, so the assets may be cached; index.html may not. */
    private static final long ASSET_MAX_AGE_SECONDS = 7 * 24 * 3600;

    private WebAppRoutes() {
    }

    static void mount(Router router) {
        StaticHandler index = StaticHandler.create(CLASSPATH_ROOT).setCachingEnabled(false);
        // A route's own path is taken off the request path: /assets/x.js is parley-web/assets/x.js.
        StaticHandler assets = StaticHandler.create(CLASSPATH_ROOT + "/assets").setMaxAgeSeconds(ASSET_MAX_AGE_SECONDS);
        router.get("/").handler(index);
        router.get("/index.html").handler(index);
        // The service worker (Web Push notifications): at the root, so its scope may be the whole
        // app, and never cached, so a new build's worker replaces the old one at the next visit.
        // (StaticHandler on an exact route reads the folder, not the file: hence sendFile.)
        router.get("/sw.js").handler(ctx -> ctx.response().putHeader("content-type", "text/javascript; charset=utf-8")
                .putHeader("cache-control", "no-cache").sendFile(CLASSPATH_ROOT + "/sw.js")
                .onFailure(e -> ctx.fail(404)));
        router.get("/assets/*").handler(assets);
    }
}
