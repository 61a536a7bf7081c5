package io.parley.bus;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

/**
 * The meter registry of a Vert.x instance: the node binds its Prometheus registry once, and every
 * verticle on that instance records its counters, gauges and timers there ({@code GET /metrics}).
 * A verticle deployed without a node (its own tests) gets a private registry of its own.
 */
public final class Meters {
    private static final String MAP = Meters.class.getName();
    private static final String KEY = "registry";

    private record Holder(MeterRegistry registry) implements Shareable {
    }

    private Meters() {
    }

    public static void bind(Vertx vertx, MeterRegistry registry) {
        vertx.sharedData().<String, Holder>getLocalMap(MAP).put(KEY, new Holder(registry));
    }

    public static MeterRegistry of(Vertx vertx) {
        Holder holder = vertx.sharedData().<String, Holder>getLocalMap(MAP)
                .computeIfAbsent(KEY, k -> new Holder(new SimpleMeterRegistry()));
        return holder.registry();
    }
}
