package io.parley.turn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * The way back to one client: its source address through the listening UDP socket, or its TCP
 * connection, where ChannelData is padded to a multiple of four bytes (RFC 8656 section 12.5).
 */
abstract sealed class ClientPath permits ClientPath.Udp, ClientPath.Tcp {
    final InetSocketAddress remote;
    final Outlet outlet;

    ClientPath(InetSocketAddress remote, Outlet outlet) {
        this.remote = remote;
        this.outlet = outlet;
    }

    /** Writes a whole message (the loop's batch flushes it). */
    abstract void write(ByteBuf message);

    abstract boolean padsChannelData();

    ByteBufAllocator alloc() {
        return outlet.channel.alloc();
    }

    String protocol() {
        return padsChannelData() ? "tcp" : "udp";
    }

    static final class Udp extends ClientPath {
        Udp(InetSocketAddress remote, Outlet listener) {
            super(remote, listener);
        }

        @Override
        void write(ByteBuf message) {
            outlet.write(new DatagramPacket(message, remote));
        }

        @Override
        boolean padsChannelData() {
            return false;
        }
    }

    static final class Tcp extends ClientPath {
        Tcp(InetSocketAddress remote, Outlet connection) {
            super(remote, connection);
        }

        @Override
        void write(ByteBuf message) {
            outlet.write(message);
        }

        @Override
        boolean padsChannelData() {
            return true;
        }
    }
}
