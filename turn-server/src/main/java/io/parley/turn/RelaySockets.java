package io.parley.turn;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Binds one relay UDP socket per allocation on a free port of the configured range, on the allocation's
 * own event loop, and feeds what peers send to {@link Allocation#fromPeer}.
 */
final class RelaySockets {
    /** Ports tried per allocation before answering 508 (each is a bind that another process may hold). */
    private static final int BIND_ATTEMPTS = 32;

    private final Transport transport;
    private final InetAddress host;
    private final int min;
    private final int max;
    private final Clock clock;
    private final Set<Integer> used = ConcurrentHashMap.newKeySet();

    RelaySockets(Transport transport, InetAddress host, int min, int max, Clock clock) {
        this.transport = transport;
        this.host = host;
        this.min = min;
        this.max = max;
        this.clock = clock;
    }

    /** Binds a socket for {@code allocation} and hands it over, or hands over null when no port is free. */
    void open(LoopState loop, Allocation allocation, boolean evenPort, Consumer<Channel> done) {
        int span = max - min + 1;
        int start = min + ThreadLocalRandom.current().nextInt(span);
        attempt(loop, allocation, evenPort, start, 0, done);
    }

    private void attempt(LoopState loop, Allocation allocation, boolean evenPort, int candidate, int tries,
            Consumer<Channel> done) {
        int port = candidate;
        int span = max - min + 1;
        int skipped = 0;
        while (skipped < span && (used.contains(port) || (evenPort && port % 2 != 0) || !used.add(port))) {
            port = port >= max ? min : port + 1;
            skipped++;
        }
        if (skipped >= span || tries >= BIND_ATTEMPTS) {
            if (skipped < span) {
                used.remove(port);
            }
            done.accept(null);
            return;
        }
        int chosen = port;
        Bootstrap bootstrap = transport.udpOptions(new Bootstrap(), Transport.RELAY_BUFFER_BYTES, false)
                .group(loop.loop()).channelFactory(transport.datagram(host)).handler(new PeerHandler(allocation, clock));
        bootstrap.bind(new InetSocketAddress(host, chosen)).addListener(f -> {
            if (f.isSuccess()) {
                done.accept(((io.netty.channel.ChannelFuture) f).channel());
            } else {
                used.remove(chosen);
                attempt(loop, allocation, evenPort, chosen >= max ? min : chosen + 1, tries + 1, done);
            }
        });
    }

    void release(int port) {
        used.remove(port);
    }

    /** Reads of one relay socket: datagrams from peers. */
    private static final class PeerHandler extends ChannelInboundHandlerAdapter {
        private final Allocation allocation;
        private final Clock clock;

        PeerHandler(Allocation allocation, Clock clock) {
            this.allocation = allocation;
            this.clock = clock;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof DatagramPacket packet && !allocation.isClosed()) {
                    allocation.fromPeer(packet, clock.millis(), System.nanoTime());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // An ICMP error on a relay socket (peer unreachable) is no reason to drop the allocation.
        }
    }
}
