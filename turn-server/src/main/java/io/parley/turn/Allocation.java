package io.parley.turn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One allocation (RFC 8656 section 2.2): a relay socket owned by one client 5-tuple, its permissions
 * (peer IPs, 5 minutes) and channel bindings (peer address ↔ number, 10 minutes), and the relay hot path
 * in both directions. Confined to one event loop: the client's and the relay socket's, which are the same.
 * Packets are parsed in place; nothing here goes through ice4j.
 */
final class Allocation {
    static final long PERMISSION_LIFETIME_MILLIS = 300_000;
    static final long CHANNEL_LIFETIME_MILLIS = 600_000;
    /** Bounds per allocation: a client asking for more gets 508 Insufficient Capacity. */
    static final int MAX_PERMISSIONS = 128;
    static final int MAX_CHANNELS = 128;
    private static final int IPV4_PEER_ATTRIBUTE = 12;
    private static final int IPV6_PEER_ATTRIBUTE = 24;

    final String username;
    final byte[] key;
    final UserQuota quota;
    final ClientPath client;
    private final TurnStats stats;
    private final HashMap<InetAddress, Long> permissions = new HashMap<>(4);
    private int[] channelNumbers = new int[2];
    private InetSocketAddress[] channelPeers = new InetSocketAddress[2];
    private long[] channelExpiry = new long[2];
    private int channels;
    private Outlet relay;
    private InetSocketAddress relayAddress;
    private long expiresAtMillis;
    private Runnable onClose = () -> { };
    private boolean closed;
    /** The last Allocate's transaction and answer: a retransmitted Allocate gets the same answer (RFC 8656 7.2). */
    byte[] allocateTransaction;
    byte[] allocateResponse;

    Allocation(String username, byte[] key, UserQuota quota, ClientPath client, TurnStats stats) {
        this.username = username;
        this.key = key;
        this.quota = quota;
        this.client = client;
        this.stats = stats;
    }

    void attach(Outlet relaySocket, InetSocketAddress advertised, long expiresAt, Runnable closeAction) {
        this.relay = relaySocket;
        this.relayAddress = advertised;
        this.expiresAtMillis = expiresAt;
        this.onClose = closeAction;
    }

    boolean ready() {
        return relay != null;
    }

    InetSocketAddress relayAddress() {
        return relayAddress;
    }

    long expiresAtMillis() {
        return expiresAtMillis;
    }

    void refresh(long expiresAt) {
        expiresAtMillis = expiresAt;
    }

    boolean isClosed() {
        return closed;
    }

    // ---- hot path: client to peer ----

    /** A ChannelData message at {@code at} of {@code buf}; {@code readable} bytes from there are this datagram or frame. */
    void fromClientChannelData(ByteBuf buf, int at, int readable, long nowMillis, long nowNanos) {
        int number = buf.getUnsignedShort(at);
        int length = buf.getUnsignedShort(at + 2);
        if (length > readable - Stun.CHANNEL_DATA_HEADER) {
            stats.dropMalformed();
            return;
        }
        int index = channelIndex(number, nowMillis);
        if (index < 0) {
            stats.dropUnknownChannel();
            return;
        }
        InetSocketAddress peer = channelPeers[index];
        if (!permitted(peer.getAddress(), nowMillis)) {
            stats.dropNoPermission();
            return;
        }
        sendToPeer(buf.retainedSlice(at + Stun.CHANNEL_DATA_HEADER, length), peer, length, nowNanos);
    }

    /** A Send indication (RFC 8656 section 11.2) of {@code length} attribute bytes at {@code base}, parsed in place. */
    void fromClientSend(ByteBuf buf, int base, int length, long nowMillis, long nowNanos) {
        int peerAt = RawAttributes.find(buf, base, length, Stun.XOR_PEER_ADDRESS);
        int dataAt = RawAttributes.find(buf, base, length, Stun.DATA_ATTR);
        if (peerAt < 0 || dataAt < 0) {
            stats.dropMalformed();
            return;
        }
        InetSocketAddress peer = RawAttributes.xorAddress(buf, peerAt + 4, buf.getUnsignedShort(peerAt + 2), base);
        if (peer == null) {
            stats.dropMalformed();
            return;
        }
        if (!permitted(peer.getAddress(), nowMillis)) {
            stats.dropNoPermission();
            return;
        }
        int dataLength = buf.getUnsignedShort(dataAt + 2);
        sendToPeer(buf.retainedSlice(dataAt + 4, dataLength), peer, dataLength, nowNanos);
    }

    private void sendToPeer(ByteBuf payload, InetSocketAddress peer, int length, long nowNanos) {
        if (!quota.tryRelay(length, nowNanos)) {
            payload.release();
            stats.dropOverQuota();
            return;
        }
        relay.write(new DatagramPacket(payload, peer));
        stats.onRelayToPeer();
        stats.addBytesToPeer(length);
    }

    // ---- hot path: peer to client ----

    void fromPeer(DatagramPacket packet, long nowMillis, long nowNanos) {
        InetSocketAddress peer = packet.sender();
        if (!permitted(peer.getAddress(), nowMillis)) {
            stats.dropNoPermission(); // RFC 8656 section 9: silently discarded
            return;
        }
        ByteBuf data = packet.content();
        int length = data.readableBytes();
        if (!quota.tryRelay(length, nowNanos)) {
            stats.dropOverQuota();
            return;
        }
        int index = channelIndexOf(peer, nowMillis);
        ByteBuf out = index >= 0 ? channelData(channelNumbers[index], data, length) : dataIndication(peer, data, length);
        client.write(out);
        stats.onRelayToClient();
        stats.addBytesToClient(length);
    }

    private ByteBuf channelData(int number, ByteBuf data, int length) {
        int size = Stun.CHANNEL_DATA_HEADER + (client.padsChannelData() ? Stun.padded(length) : length);
        ByteBuf out = client.alloc().directBuffer(size);
        out.writeShort(number).writeShort(length).writeBytes(data, data.readerIndex(), length);
        out.writeZero(size - out.writerIndex());
        return out;
    }

    /** A Data indication (RFC 8656 section 11.4) written by hand: header, XOR-PEER-ADDRESS, DATA. */
    private ByteBuf dataIndication(InetSocketAddress peer, ByteBuf data, int length) {
        byte[] address = peer.getAddress().getAddress();
        int peerAttribute = address.length == 4 ? IPV4_PEER_ATTRIBUTE : IPV6_PEER_ATTRIBUTE;
        int bodyLength = peerAttribute + 4 + Stun.padded(length);
        ByteBuf out = client.alloc().directBuffer(Stun.HEADER + bodyLength);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int t0 = random.nextInt();
        int t1 = random.nextInt();
        int t2 = random.nextInt();
        out.writeShort(Stun.type(Stun.DATA, Stun.CLASS_INDICATION)).writeShort(bodyLength).writeInt(Stun.MAGIC_COOKIE)
                .writeInt(t0).writeInt(t1).writeInt(t2);
        out.writeShort(Stun.XOR_PEER_ADDRESS).writeShort(peerAttribute - 4).writeByte(0)
                .writeByte(address.length == 4 ? Stun.FAMILY_IPV4 : Stun.FAMILY_IPV6)
                .writeShort(peer.getPort() ^ (Stun.MAGIC_COOKIE >>> 16));
        if (address.length == 4) {
            out.writeInt(((address[0] & 0xFF) << 24 | (address[1] & 0xFF) << 16 | (address[2] & 0xFF) << 8
                    | (address[3] & 0xFF)) ^ Stun.MAGIC_COOKIE);
        } else {
            int[] words = {Stun.MAGIC_COOKIE, t0, t1, t2}; // IPv6 is xor-ed with cookie and transaction id
            for (int i = 0; i < 16; i++) {
                out.writeByte(address[i] ^ (words[i / 4] >>> (24 - 8 * (i % 4))));
            }
        }
        out.writeShort(Stun.DATA_ATTR).writeShort(length).writeBytes(data, data.readerIndex(), length);
        out.writeZero(Stun.padded(length) - length);
        return out;
    }

    // ---- permissions and channels (control path) ----

    boolean permitted(InetAddress peer, long nowMillis) {
        Long expiry = permissions.get(peer);
        return expiry != null && expiry > nowMillis;
    }

    /** Installs or refreshes permissions for all peers, or none (false) when the bound would be passed. */
    boolean permit(Iterable<InetSocketAddress> peers, long nowMillis) {
        int added = 0;
        for (InetSocketAddress peer : peers) {
            if (!permissions.containsKey(peer.getAddress())) {
                added++;
            }
        }
        if (permissions.size() + added > MAX_PERMISSIONS) {
            return false;
        }
        for (InetSocketAddress peer : peers) {
            permissions.put(peer.getAddress(), nowMillis + PERMISSION_LIFETIME_MILLIS);
        }
        return true;
    }

    enum BindOutcome { BOUND, CONFLICT, FULL }

    /** Binds (or refreshes) channel {@code number} to {@code peer} and refreshes the peer's permission. */
    BindOutcome bind(int number, InetSocketAddress peer, long nowMillis) {
        for (int i = 0; i < channels; i++) {
            boolean sameNumber = channelNumbers[i] == number;
            boolean samePeer = channelPeers[i].equals(peer);
            if (sameNumber && samePeer) {
                channelExpiry[i] = nowMillis + CHANNEL_LIFETIME_MILLIS;
                return permit(List.of(peer), nowMillis) ? BindOutcome.BOUND : BindOutcome.FULL;
            }
            if (sameNumber || samePeer) {
                return BindOutcome.CONFLICT; // RFC 8656 section 12.2: a number or a peer is bound to one only
            }
        }
        if (channels == MAX_CHANNELS || !permit(List.of(peer), nowMillis)) {
            return BindOutcome.FULL;
        }
        if (channels == channelNumbers.length) {
            int size = Math.min(MAX_CHANNELS, channels * 2);
            channelNumbers = Arrays.copyOf(channelNumbers, size);
            channelPeers = Arrays.copyOf(channelPeers, size);
            channelExpiry = Arrays.copyOf(channelExpiry, size);
        }
        channelNumbers[channels] = number;
        channelPeers[channels] = peer;
        channelExpiry[channels] = nowMillis + CHANNEL_LIFETIME_MILLIS;
        channels++;
        return BindOutcome.BOUND;
    }

    private int channelIndex(int number, long nowMillis) {
        for (int i = 0; i < channels; i++) {
            if (channelNumbers[i] == number) {
                return channelExpiry[i] > nowMillis ? i : -1;
            }
        }
        return -1;
    }

    private int channelIndexOf(InetSocketAddress peer, long nowMillis) {
        for (int i = 0; i < channels; i++) {
            if (channelPeers[i].getPort() == peer.getPort() && channelPeers[i].getAddress().equals(peer.getAddress())) {
                return channelExpiry[i] > nowMillis ? i : -1;
            }
        }
        return -1;
    }

    /** Drops expired permissions and channel bindings; true if the allocation itself has expired. */
    boolean sweep(long nowMillis) {
        for (Iterator<Map.Entry<InetAddress, Long>> it = permissions.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() <= nowMillis) {
                it.remove();
            }
        }
        int kept = 0;
        for (int i = 0; i < channels; i++) {
            if (channelExpiry[i] > nowMillis) {
                channelNumbers[kept] = channelNumbers[i];
                channelPeers[kept] = channelPeers[i];
                channelExpiry[kept] = channelExpiry[i];
                kept++;
            }
        }
        for (int i = kept; i < channels; i++) {
            channelPeers[i] = null;
        }
        channels = kept;
        return expiresAtMillis <= nowMillis;
    }

    boolean sameFamily(InetSocketAddress peer) {
        return (peer.getAddress() instanceof Inet4Address) == (relayAddress.getAddress() instanceof Inet4Address);
    }

    /** Closes the relay socket and gives the quota back; idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (relay != null) {
            relay.channel.close();
        }
        onClose.run();
    }
}
