package io.parley.bus;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicLong;

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

    private record Value(AtomicLong value) implements Shareable {
    }

    private Meters() {
    }

    public static void bind(Vertx vertx, MeterRegistry registry) {
        vertx.sharedData().<String, Holder>getLocalMap(MAP).put(KEY, new Holder(registry));
    }

    /**
     * The value behind a gauge of this name, registered once per Vert.x instance: every verticle
     * instance that measures the same thing (an inbox depth) sets the same value.
     */
    public static AtomicLong gauge(Vertx vertx, String name, String description) {
        MeterRegistry registry = of(vertx);
        return vertx.sharedData().<String, Value>getLocalMap(MAP + ".gauges").computeIfAbsent(name, n -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
            return new Value(value);
        }).value();
    }

    public static MeterRegistry of(Vertx vertx) {
        Holder holder = vertx.sharedData().<String, Holder>getLocalMap(MAP)
                .computeIfAbsent(KEY, k -> new Holder(new SimpleMeterRegistry()));
        return holder.registry();
    }
}
