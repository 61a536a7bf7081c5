package io.parley.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.sessions.LocalDevices;
import io.parley.turn.TurnStats;
import java.util.function.Supplier;

/**
 * The node's own meters, read from what it holds: connected devices, and the TURN server's
 * allocations, relayed packets and payload bytes (when the node runs the turn role).
 */
final class NodeMeters {
    private NodeMeters() {
    }

    static void register(MeterRegistry registry, LocalDevices devices, Supplier<TurnStats> turn) {
        Gauge.builder("parley.connections", devices, LocalDevices::size)
                .description("devices connected to this node").register(registry);
        Gauge.builder("parley.turn.allocations", turn, t -> t.get() == null ? 0 : t.get().allocations())
                .description("TURN allocations open on this node").register(registry);
        FunctionCounter.builder("parley.turn.relayed.bytes", turn, t -> t.get() == null ? 0 : t.get().bytesToPeer())
                .tag("direction", "to_peer").description("payload bytes relayed by TURN").register(registry);
        FunctionCounter.builder("parley.turn.relayed.bytes", turn, t -> t.get() == null ? 0 : t.get().bytesToClient())
                .tag("direction", "to_client").description("payload bytes relayed by TURN").register(registry);
        FunctionCounter.builder("parley.turn.relayed.packets", turn, t -> t.get() == null ? 0 : t.get().relayedToPeer())
                .tag("direction", "to_peer").description("packets relayed by TURN").register(registry);
        FunctionCounter.builder("parley.turn.relayed.packets", turn, t -> t.get() == null ? 0 : t.get().relayedToClient())
                .tag("direction", "to_client").description("packets relayed by TURN").register(registry);
        FunctionCounter.builder("parley.turn.auth.failures", turn, t -> t.get() == null ? 0 : t.get().authFailures())
                .description("TURN requests with a wrong or expired credential").register(registry);
    }
}
