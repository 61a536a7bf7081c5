package io.parley.turn;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel that relayed packets are written to without a flush; the loop's {@link Batch} flushes every
 * written outlet once, after the reads of one I/O pass, so epoll sends them with one sendmmsg per socket.
 */
final class Outlet {
    final Channel channel;
    private final Batch batch;
    private boolean pending;

    Outlet(Channel channel, Batch batch) {
        this.channel = channel;
        this.batch = batch;
    }

    void write(Object message) {
        channel.write(message, channel.voidPromise());
        if (!pending) {
            pending = true;
            batch.add(this);
        }
    }

    /** The outlets of one event loop written since the last flush; confined to that loop. */
    static final class Batch implements Runnable {
        private final EventLoop loop;
        private final List<Outlet> pending = new ArrayList<>();

        Batch(EventLoop loop) {
            this.loop = loop;
        }

        EventLoop loop() {
            return loop;
        }

        private void add(Outlet outlet) {
            if (pending.isEmpty()) {
                loop.execute(this); // runs after this I/O pass's reads: one flush for all of them
            }
            pending.add(outlet);
        }

        @Override
        public void run() {
            for (int i = 0; i < pending.size(); i++) {
                Outlet outlet = pending.get(i);
                outlet.pending = false;
                outlet.channel.flush();
            }
            pending.clear();
        }
    }
}
