package io.parley.turn;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** One IPv4 or IPv6 block such as {@code 127.0.0.0/8}; matches addresses by prefix. */
record Cidr(byte[] network, int prefixBits) {

    /** Parses "a.b.c.d/n" (or an address alone, a /32 or /128); throws IllegalArgumentException with the reason. */
    static Cidr parse(String text) {
        String[] parts = text.strip().split("/", 2);
        if (!parts[0].matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not an address block like 127.0.0.0/8");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(parts[0]).getAddress(); // a literal: no name look-up happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address block like 127.0.0.0/8");
        }
        int bits = address.length * 8;
        if (parts.length == 2) {
            if (!parts[1].matches("[0-9]{1,3}") || Integer.parseInt(parts[1]) > bits) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bits);
            }
            bits = Integer.parseInt(parts[1]);
        }
        return new Cidr(address, bits);
    }

    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[full] & mask) == (network[full] & mask);
    }
}
