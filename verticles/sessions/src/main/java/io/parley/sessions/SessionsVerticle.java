package io.parley.sessions;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The edge: the node's one HTTP server. It mounts the routes the node hands it (health, metrics)
 * and, as Parley grows, the client endpoints. Several instances share the port.
 */
public final class SessionsVerticle extends VerticleBase {
    private final EdgeConfig config;
    private final Handler<Router> nodeRoutes;
    private HttpServer server;

    public SessionsVerticle(EdgeConfig config, Handler<Router> nodeRoutes) {
        this.config = config;
        this.nodeRoutes = nodeRoutes;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        nodeRoutes.handle(router);
        server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()));
        return server.requestHandler(router).listen();
    }
}
