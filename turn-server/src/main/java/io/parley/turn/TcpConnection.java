package io.parley.turn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * One TURN client over TCP (RFC 8656 section 3.1): at most one allocation, which ends with the
 * connection. {@link Framer} cuts the byte stream into STUN messages and padded ChannelData.
 */
final class TcpConnection extends ChannelInboundHandlerAdapter implements ClientTraffic.RequestSink, Exchange.Slot {
    private final ClientTraffic traffic;
    private final TurnRequests requests;
    private final Map<io.netty.channel.EventLoop, LoopState> loops;
    private LoopState loop;
    private ClientPath path;
    private Allocation allocation;

    TcpConnection(ClientTraffic traffic, TurnRequests requests, Map<io.netty.channel.EventLoop, LoopState> loops) {
        this.traffic = traffic;
        this.requests = requests;
        this.loops = loops;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        loop = loops.get(ctx.channel().eventLoop());
        path = new ClientPath.Tcp((InetSocketAddress) ctx.channel().remoteAddress(), new Outlet(ctx.channel(), loop.batch));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            traffic.receive((ByteBuf) msg, allocation, this);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void request(byte[] message) {
        requests.handle(new Exchange(message, path, this, loop));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (allocation != null) {
            allocation.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset or a framing error: the connection and its allocation end
    }

    @Override
    public Allocation get() {
        return allocation;
    }

    @Override
    public void set(Allocation newAllocation) {
        allocation = newAllocation;
    }

    @Override
    public void clear(Allocation old) {
        if (allocation == old) {
            allocation = null;
        }
    }

    /**
     * Frames of the TCP stream: a STUN message is 20 bytes plus its length; ChannelData is 4 bytes plus its
     * length rounded up to 4. Anything else closes the connection, since the stream cannot be resynchronised.
     */
    static final class Framer extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.readableBytes() >= Stun.CHANNEL_DATA_HEADER) {
                int at = in.readerIndex();
                int first = in.getUnsignedByte(at);
                int length = in.getUnsignedShort(at + 2);
                int frame;
                if (first >= 0x40 && first <= 0x7F) {
                    frame = Stun.CHANNEL_DATA_HEADER + Stun.padded(length);
                } else if ((first & 0xC0) == 0) {
                    frame = Stun.HEADER + length;
                } else {
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                    return;
                }
                if (in.readableBytes() < frame) {
                    return;
                }
                out.add(in.readRetainedSlice(frame));
            }
        }
    }
}
