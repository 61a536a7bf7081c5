package io.parley.turn;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Native epoll where Netty has it (Linux x86-64), NIO otherwise or with {@code -Dparley.turn.nio=true}.
 * Epoll adds SO_REUSEPORT (one listening UDP socket per loop) and recvmmsg (several datagrams per read).
 */
final class Transport {
    /** Largest datagram read; Netty's own default for datagram channels. Larger ones are truncated and dropped. */
    static final int MAX_DATAGRAM = 2048;
    static final int LISTEN_BUFFER_BYTES = 4 * 1024 * 1024;
    static final int RELAY_BUFFER_BYTES = 256 * 1024;
    /**
     * Netty 4.2's default adaptive allocator does not pool buffers over 16 KiB in a JVM of at most
     * 512 MiB of heap (its low-memory mode; the benchmark's TURN server has 256 MiB): each batched read
     * buffer (16 x 2 KiB) was then a fresh direct allocation, zeroed and freed again. The pooled
     * allocator serves it from the loop's cache.
     */
    static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    final boolean epoll;
    private final int recvBatch;

    Transport(int recvBatch) {
        this.epoll = Epoll.isAvailable() && !Boolean.getBoolean("parley.turn.nio");
        this.recvBatch = recvBatch;
    }

    String name() {
        return epoll ? "epoll" : "nio";
    }

    MultiThreadIoEventLoopGroup group(int threads) {
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new TurnThreads(), factory);
    }

    /**
     * Datagram sockets of the bind address's own family: an IPv4 socket for an IPv4 address, so the kernel
     * skips the IPv4-mapped IPv6 path (udpv6_sendmsg) a dual-stack socket takes for every packet.
     */
    ChannelFactory<DatagramChannel> datagram(InetAddress bindAddress) {
        SocketProtocolFamily family = bindAddress instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        return epoll ? () -> new EpollDatagramChannel(family) : () -> new NioDatagramChannel(family);
    }

    Class<? extends ServerSocketChannel> server() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Buffers and batched reads for a UDP socket; {@code reusePort} for the per-loop listening sockets. */
    <B extends AbstractBootstrap<B, ?>> B udpOptions(B bootstrap, int bufferBytes, boolean reusePort) {
        bootstrap.option(ChannelOption.SO_RCVBUF, bufferBytes).option(ChannelOption.SO_SNDBUF, bufferBytes)
                .option(ChannelOption.ALLOCATOR, ALLOCATOR);
        if (epoll && recvBatch > 1) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * recvBatch));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        if (epoll && reusePort) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        return bootstrap;
    }

    /** Names the server's threads so that a thread dump shows them. */
    private static final class TurnThreads implements java.util.concurrent.ThreadFactory {
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new io.netty.util.concurrent.FastThreadLocalThread(task, "parley-turn-" + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        }
    }
}
