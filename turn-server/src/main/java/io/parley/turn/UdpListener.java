package io.parley.turn;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one listening UDP socket (one per event loop with SO_REUSEPORT, which keeps every client on one
 * socket): the allocations of its clients by source address, and the way back to them.
 */
final class UdpListener extends ChannelInboundHandlerAdapter implements ClientTraffic.RequestSink {
    private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);
    private final ClientTraffic traffic;
    private final TurnRequests requests;
    private final LoopState loop;
    private final Map<InetSocketAddress, Allocation> allocations = new HashMap<>();
    private Outlet outlet;
    private InetSocketAddress sender; // of the datagram being read: the loop reads one at a time

    UdpListener(ClientTraffic traffic, TurnRequests requests, LoopState loop) {
        this.traffic = traffic;
        this.requests = requests;
        this.loop = loop;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        outlet = new Outlet(ctx.channel(), loop.batch);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof DatagramPacket packet) {
                sender = packet.sender();
                traffic.receive(packet.content(), allocations.get(sender), this);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void request(byte[] message) {
        Allocation allocation = allocations.get(sender);
        ClientPath path = allocation != null ? allocation.client : new ClientPath.Udp(sender, outlet);
        requests.handle(new Exchange(message, path, new SourceSlot(sender), loop));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port-unreachable from a departed client surfaces here; the socket stays open.
        LOG.debug("listening socket error: {}", cause.toString(), cause);
    }

    /** The allocation slot of one source address. */
    private final class SourceSlot implements Exchange.Slot {
        private final InetSocketAddress source;

        SourceSlot(InetSocketAddress source) {
            this.source = source;
        }

        @Override
        public Allocation get() {
            return allocations.get(source);
        }

        @Override
        public void set(Allocation allocation) {
            allocations.put(source, allocation);
        }

        @Override
        public void clear(Allocation allocation) {
            allocations.remove(source, allocation);
        }
    }
}
