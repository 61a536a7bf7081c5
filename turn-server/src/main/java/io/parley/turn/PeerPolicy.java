package io.parley.turn;

import java.net.InetAddress;
import java.util.List;

/**
 * Which peers a relay may reach. Loopback, private (RFC 1918, unique-local), link-local, unspecified,
 * multicast and broadcast addresses are refused (403) so that a TURN user cannot probe the server's own
 * network, unless a configured block allows them (tests allow 127.0.0.0/8).
 */
final class PeerPolicy {
    private final List<Cidr> allowed;

    PeerPolicy(List<String> allowedBlocks) {
        this.allowed = allowedBlocks.stream().map(Cidr::parse).toList();
    }

    boolean permits(InetAddress peer) {
        for (Cidr block : allowed) {
            if (block.contains(peer)) {
                return true;
            }
        }
        return !isInternal(peer);
    }

    private static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            return first == 0 || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    || first >= 240; // reserved and broadcast
        }
        return (b[0] & 0xFE) == 0xFC; // IPv6 unique-local fc00::/7
    }
}
