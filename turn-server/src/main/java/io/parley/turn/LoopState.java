package io.parley.turn;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What one event loop owns: its flush batch and the allocations living on it (swept once a second). */
final class LoopState {
    final Outlet.Batch batch;
    private final Set<Allocation> allocations = new HashSet<>();

    LoopState(EventLoop loop) {
        this.batch = new Outlet.Batch(loop);
    }

    EventLoop loop() {
        return batch.loop();
    }

    void add(Allocation allocation) {
        allocations.add(allocation);
    }

    void remove(Allocation allocation) {
        allocations.remove(allocation);
    }

    /** Closes expired allocations and drops expired permissions and channels of the others. */
    void sweep(long nowMillis) {
        List<Allocation> expired = new ArrayList<>();
        for (Allocation allocation : allocations) {
            if (allocation.sweep(nowMillis)) {
                expired.add(allocation);
            }
        }
        expired.forEach(Allocation::close);
    }

    /** Closes everything (server stop). */
    void closeAll() {
        new ArrayList<>(allocations).forEach(Allocation::close);
    }
}
