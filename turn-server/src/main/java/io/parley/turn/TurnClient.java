package io.parley.turn;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.ErrorCodeAttribute;
import org.ice4j.attribute.NonceAttribute;
import org.ice4j.attribute.XorRelayedAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;

/**
 * A small blocking TURN client over UDP for tests and the benchmark probes ({@link TurnBench}): builds requests with ice4j, signs them with the
 * long-term key, waits (with a deadline) for the answer of the same transaction.
 */
public final class TurnClient implements AutoCloseable {
    static final int TIMEOUT_MILLIS = 2000;

    final DatagramSocket socket;
    private final InetSocketAddress server;
    private final String realm;
    String username;
    byte[] key;
    String nonce;

    public TurnClient(InetSocketAddress server, String realm) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(TIMEOUT_MILLIS);
        this.server = server;
        this.realm = realm;
    }

    /** Takes credentials; the first signed request fetches a nonce first. */
    public TurnClient as(String user, String password) {
        this.username = user;
        this.key = longTermKey(user, realm, password);
        return this;
    }

    static byte[] longTermKey(String user, String realm, String password) {
        try {
            return java.security.MessageDigest.getInstance("MD5")
                    .digest((user + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Allocates and returns the relayed address; fails the test with the error if refused. */
    public InetSocketAddress allocate() throws Exception {
        Message response = signed(MessageFactory.createAllocateRequest((byte) Stun.UDP, false));
        if (!(response.getAttribute(Attribute.XOR_RELAYED_ADDRESS) instanceof XorRelayedAddressAttribute relayed)) {
            throw new IllegalStateException("Allocate refused: " + errorCode(response) + " "
                    + ((ErrorCodeAttribute) response.getAttribute(Attribute.ERROR_CODE)).getReasonPhrase());
        }
        return relayed.getAddress(response.getTransactionID());
    }

    Message signed(Request request) throws Exception {
        return signed(request, new byte[0]);
    }

    /** Sends a signed request with raw attributes appended, answering one 401 or 438 challenge with its nonce. */
    Message signed(Request request, byte[] extra) throws Exception {
        if (nonce != null) {
            Message answer = exchange(sign(request, extra));
            if (errorCode(answer) != 401 && errorCode(answer) != 438) {
                return answer;
            }
            nonce = nonceOf(answer);
        } else {
            Message challenge = exchange(encode(request, null, extra));
            if (errorCode(challenge) != 401) {
                return challenge;
            }
            nonce = nonceOf(challenge);
        }
        request.setTransactionID(newTransactionId());
        return exchange(sign(request, extra));
    }

    static byte[] newTransactionId() {
        byte[] tid = new byte[12];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(tid);
        return tid;
    }

    byte[] sign(Request request, byte[] extra) throws StunException {
        request.removeAttribute(Attribute.USERNAME);
        request.removeAttribute(Attribute.REALM);
        request.removeAttribute(Attribute.NONCE);
        request.putAttribute(AttributeFactory.createUsernameAttribute(username));
        request.putAttribute(AttributeFactory.createRealmAttribute(realm.getBytes(StandardCharsets.UTF_8)));
        request.putAttribute(AttributeFactory.createNonceAttribute(nonce.getBytes(StandardCharsets.US_ASCII)));
        return encode(request, key, extra);
    }

    /** Encodes with ice4j, appends {@code extra} attributes, then MESSAGE-INTEGRITY (if keyed) and FINGERPRINT. */
    static byte[] encode(Message request, byte[] key, byte[] extra) {
        if (request.getTransactionID() == null) {
            try {
                request.setTransactionID(newTransactionId());
            } catch (StunException e) {
                throw new IllegalStateException(e);
            }
        }
        byte[] encoded = request.encode(null);
        byte[] joined = Arrays.copyOf(encoded, encoded.length + extra.length);
        System.arraycopy(extra, 0, joined, encoded.length, extra.length);
        return Integrity.seal(joined, key, true);
    }

    /** An IPv4 XOR-PEER-ADDRESS attribute, written by hand. */
    static byte[] xorPeer(InetSocketAddress peer) {
        byte[] a = peer.getAddress().getAddress();
        int port = peer.getPort() ^ 0x2112;
        int address = ((a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF)) ^ Stun.MAGIC_COOKIE;
        return new byte[] {0x00, 0x12, 0x00, 0x08, 0x00, 0x01, (byte) (port >> 8), (byte) port,
            (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    /** Sends bytes and waits for the response of their transaction. */
    Message exchange(byte[] message) throws Exception {
        byte[] tid = Arrays.copyOfRange(message, 8, 20);
        send(message);
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            byte[] got = receive();
            if (got != null && got.length >= 20 && (got[0] & 0xC0) == 0 && Arrays.equals(tid, Arrays.copyOfRange(got, 8, 20))) {
                return Message.decode(got, 0, got.length);
            }
        }
        throw new IllegalStateException("no answer to transaction within " + TIMEOUT_MILLIS + " ms");
    }

    void send(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, server));
    }

    /** The next datagram from the server, or null after the timeout. */
    byte[] receive() throws IOException {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(buffer, packet.getLength());
    }

    /** A CreatePermission with one XOR-PEER-ADDRESS per peer, all written by hand (ice4j keeps one per type). */
    Message createPermission(InetSocketAddress... peers) throws Exception {
        Request request = MessageFactory.createCreatePermissionRequest(transport(peers[0]), new byte[12]);
        request.removeAttribute(Attribute.XOR_PEER_ADDRESS);
        java.io.ByteArrayOutputStream extra = new java.io.ByteArrayOutputStream();
        for (InetSocketAddress peer : peers) {
            extra.write(xorPeer(peer));
        }
        return signed(request, extra.toByteArray());
    }

    Message channelBind(int number, InetSocketAddress peer) throws Exception {
        Request request = MessageFactory.createChannelBindRequest((char) number, transport(peer), new byte[12]);
        request.removeAttribute(Attribute.XOR_PEER_ADDRESS);
        return signed(request, xorPeer(peer));
    }

    Message refresh(int lifetime) throws Exception {
        return signed(MessageFactory.createRefreshRequest(lifetime));
    }

    static TransportAddress transport(InetSocketAddress address) {
        return new TransportAddress(address, Transport.UDP);
    }

    static int errorCode(Message message) {
        return message.getAttribute(Attribute.ERROR_CODE) instanceof ErrorCodeAttribute e ? e.getErrorCode() : 0;
    }

    static String nonceOf(Message message) {
        return new String(((NonceAttribute) message.getAttribute(Attribute.NONCE)).getNonce(), StandardCharsets.US_ASCII);
    }

    static byte[] channelData(int number, byte[] payload) {
        byte[] out = new byte[4 + payload.length];
        out[0] = (byte) (number >> 8);
        out[1] = (byte) number;
        out[2] = (byte) (payload.length >> 8);
        out[3] = (byte) payload.length;
        System.arraycopy(payload, 0, out, 4, payload.length);
        return out;
    }

    @Override
    public void close() {
        socket.close();
    }
}
