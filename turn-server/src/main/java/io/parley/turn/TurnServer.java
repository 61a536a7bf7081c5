package io.parley.turn;

import io.parley.bus.RestCredentials;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's TURN server: UDP and TCP on one port, one relay UDP socket per allocation, all on its own
 * Netty event loops (epoll when available). {@link #start()} binds; {@link #stop()} closes everything.
 */
public final class TurnServer {
    /** Tries at a free port pair when the configured port is 0. */
    private static final int FREE_PORT_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(TurnServer.class);
    private static final long SWEEP_INTERVAL_MILLIS = 1000;
    private static final int TCP_BACKLOG = 1024;
    private static final String SOFTWARE_PROPERTY = "ice4j.software";
    private static final String SOFTWARE = "Parley TURN";

    private final TurnConfig config;
    private final Clock clock;
    private final TurnStats stats = new TurnStats();
    private final Transport transport;
    private final List<Channel> listeners = new ArrayList<>();
    private final Map<EventLoop, LoopState> loops = new IdentityHashMap<>();
    private MultiThreadIoEventLoopGroup group;
    private RelaySockets relays;
    private int port;

    public TurnServer(TurnConfig config, Clock clock) {
        if (System.getProperty(SOFTWARE_PROPERTY) == null) {
            System.setProperty(SOFTWARE_PROPERTY, SOFTWARE); // ice4j writes it as SOFTWARE into every response
        }
        this.config = config;
        this.clock = clock;
        this.transport = new Transport(config.recvBatch());
    }

    /** Binds the UDP and TCP listeners; completes with the port (the chosen one when configured as 0). */
    public CompletionStage<Integer> start() {
        InetAddress bind;
        InetAddress relayHost;
        try {
            bind = InetAddress.getByName(config.bindHost());
            relayHost = InetAddress.getByName(config.relayHost());
        } catch (UnknownHostException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("turn.host or turn.relayHost is no address: "
                    + e.getMessage()));
        }
        group = transport.group(config.ioThreads());
        for (EventExecutor executor : group) {
            EventLoop loop = (EventLoop) executor;
            LoopState state = new LoopState(loop);
            loops.put(loop, state);
        }
        relays = new RelaySockets(transport, relayHost, config.relayPortMin(), config.relayPortMax(), clock);
        Authenticator authenticator = new Authenticator(new RestCredentials(config.secret()),
                new NonceSigner(clock, config.nonceLifetime()), new AuthFailureLimiter(config.authFailuresPerMinute()),
                config.realm(), stats, clock);
        TurnRequests requests = new TurnRequests(authenticator, new PeerPolicy(config.allowedPeers()),
                new Quotas(config.maxAllocationsPerUser(), config.maxAllocations(), config.userBytesPerSecond(),
                        stats.allocationCounter()), relays, stats, clock);
        ClientTraffic traffic = new ClientTraffic(stats, clock);
        boolean first = true;
        for (LoopState state : loops.values()) {
            boolean sweepsLimiter = first;
            state.loop().scheduleAtFixedRate(() -> {
                long now = clock.millis();
                state.sweep(now);
                if (sweepsLimiter) {
                    authenticator.sweep(now);
                }
            }, SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            first = false;
        }
        List<LoopState> udpLoops = transport.epoll ? new ArrayList<>(loops.values()) : List.of(loops.values().iterator().next());
        return listen(udpLoops, bind, traffic, requests, FREE_PORT_ATTEMPTS).whenComplete((p, e) -> {
            if (e != null) {
                stop();
            } else {
                port = p;
                LOG.info("TURN server on {}:{} (udp+tcp, {} x {}, relay ports {}-{}, realm {})", config.bindHost(), p,
                        config.ioThreads(), transport.name(), config.relayPortMin(), config.relayPortMax(), config.realm());
            }
        });
    }

    /**
     * UDP, then TCP on the port UDP got. With port 0 the system picks a UDP port whose TCP twin may
     * be taken by then: let go of the UDP sockets and try another free port, a few times.
     */
    private CompletionStage<Integer> listen(List<LoopState> udpLoops, InetAddress bind, ClientTraffic traffic,
            TurnRequests requests, int attemptsLeft) {
        CompletableFuture<Integer> udp = new CompletableFuture<>();
        bindUdp(udpLoops, 0, bind, config.port(), traffic, requests, udp);
        return udp.thenCompose(udpPort -> bindTcp(bind, udpPort, traffic, requests)).exceptionallyCompose(e -> {
            if (config.port() != 0 || attemptsLeft <= 1) {
                return CompletableFuture.failedFuture(e);
            }
            synchronized (listeners) {
                listeners.forEach(Channel::close);
                listeners.clear();
            }
            return listen(udpLoops, bind, traffic, requests, attemptsLeft - 1);
        });
    }

    /** One listening UDP socket per loop (SO_REUSEPORT on epoll); the first one fixes the port. */
    private void bindUdp(List<LoopState> udpLoops, int index, InetAddress bind, int wanted, ClientTraffic traffic,
            TurnRequests requests, CompletableFuture<Integer> done) {
        if (index == udpLoops.size()) {
            done.complete(wanted);
            return;
        }
        LoopState state = udpLoops.get(index);
        Bootstrap bootstrap = transport.udpOptions(new Bootstrap(), Transport.LISTEN_BUFFER_BYTES, udpLoops.size() > 1)
                .group(state.loop()).channelFactory(transport.datagram(bind)).handler(new UdpListener(traffic, requests, state));
        bootstrap.bind(new InetSocketAddress(bind, wanted)).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(new IllegalStateException("cannot bind TURN UDP port " + wanted + " on "
                        + bind.getHostAddress() + ": " + f.cause().getMessage(), f.cause()));
                return;
            }
            synchronized (listeners) {
                listeners.add(f.channel());
            }
            int bound = ((InetSocketAddress) f.channel().localAddress()).getPort();
            bindUdp(udpLoops, index + 1, bind, bound, traffic, requests, done);
        });
    }

    private CompletionStage<Integer> bindTcp(InetAddress bind, int udpPort, ClientTraffic traffic, TurnRequests requests) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(transport.server())
                .option(ChannelOption.SO_BACKLOG, TCP_BACKLOG)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, Transport.ALLOCATOR).childOption(ChannelOption.ALLOCATOR, Transport.ALLOCATOR)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new TcpConnection.Framer(), new TcpConnection(traffic, requests, loops));
                    }
                });
        bootstrap.bind(new InetSocketAddress(bind, udpPort)).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                synchronized (listeners) {
                    listeners.add(f.channel());
                }
                done.complete(udpPort);
            } else {
                done.completeExceptionally(new IllegalStateException("cannot bind TURN TCP port " + udpPort + " on "
                        + bind.getHostAddress() + ": " + f.cause().getMessage(), f.cause()));
            }
        });
        return done;
    }

    /** Closes listeners, allocations and the event loops; returns when they are gone. */
    public CompletionStage<Void> stop() {
        if (group == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (listeners) {
            listeners.forEach(Channel::close);
            listeners.clear();
        }
        for (LoopState state : loops.values()) {
            state.loop().execute(state::closeAll);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> done.complete(null));
        return done;
    }

    public int port() {
        return port;
    }

    public TurnStats stats() {
        return stats;
    }

    public String transportName() {
        return transport.name();
    }

    public TurnConfig config() {
        return config;
    }
}
