package io.parley.turn;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** A UDP peer on loopback that a relay sends to and that sends back to the relay. */
final class Peer implements AutoCloseable {
    final DatagramSocket socket;

    Peer() throws IOException {
        this("127.0.0.1");
    }

    /** A peer on another loopback address (all of 127.0.0.0/8 is loopback): permissions are per IP. */
    Peer(String loopbackAddress) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(loopbackAddress), 0));
        socket.setSoTimeout(TurnClient.TIMEOUT_MILLIS);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** The next datagram and its sender, or null after the timeout. */
    DatagramPacket receive() throws IOException {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        packet.setData(Arrays.copyOf(buffer, packet.getLength()));
        return packet;
    }

    void sendTo(InetSocketAddress target, byte[] payload) throws IOException {
        socket.send(new DatagramPacket(payload, payload.length, target));
    }

    @Override
    public void close() {
        socket.close();
    }
}
