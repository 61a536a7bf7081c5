package io.parley.node;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;

/**
 * The operator's routes, mounted by the edge: {@code GET /health} (PostgreSQL and Redis reachable:
 * 200, otherwise 503 with the failing check) and {@code GET /metrics} (Prometheus text format).
 * It also mounts the browser app at {@code /} ({@link WebAppRoutes}).
 */
final class OpsRoutes {
    private static final long CHECK_TIMEOUT_MS = 2_000;

    private OpsRoutes() {
    }

    static Handler<Router> create(Vertx vertx, Pool pool, Redis redis, String metricsRegistry) {
        HealthChecks checks = HealthChecks.create(vertx)
                .register("postgres", CHECK_TIMEOUT_MS, promise -> pool.query("SELECT 1").execute()
                        .onSuccess(rows -> promise.complete(Status.OK()))
                        .onFailure(e -> promise.complete(Status.KO())))
                .register("redis", CHECK_TIMEOUT_MS, promise -> redis.send(Request.cmd(Command.PING))
                        .onSuccess(pong -> promise.complete(Status.OK()))
                        .onFailure(e -> promise.complete(Status.KO())));
        return router -> {
            router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(checks));
            router.get("/metrics").handler(PrometheusScrapingHandler.create(metricsRegistry));
            WebAppRoutes.mount(router);
        };
    }
}
